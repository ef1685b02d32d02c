"""From a filing document (precomment.documents) to a filing description: one extractor per section."""
