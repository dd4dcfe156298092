package tn.data;

/** A parallel pair: an English sentence and its L2 translation. */
public record SentencePair(String en, String l2) {}
