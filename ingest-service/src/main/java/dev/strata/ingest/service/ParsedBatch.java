package dev.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A batch body after parsing, whatever its format: one JSON node per item, in input order. */
public record ParsedBatch(List<JsonNode> items, BatchOptions options) {
}
