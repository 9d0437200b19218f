"""Building blocks of the target extractor (指标抽取): numbers, units, word lists, sentences, tables."""
