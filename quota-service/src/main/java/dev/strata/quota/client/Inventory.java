package dev.strata.quota.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What quota-service reads of ingest's {@code GET /groups/{g}/inventory}. Boxed, so a member ingest left out is
 * told apart from a zero; other members (knowledge, events, asOf, ...) are ignored, so ingest may add some.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Inventory(Long things, Long peopleLike, Long connections, Long storageBytes) {}
