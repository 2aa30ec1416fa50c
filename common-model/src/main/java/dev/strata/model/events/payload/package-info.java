/**
 * One record per event payload with a fixed shape, written by its producer and bound by its consumers through
 * {@link dev.strata.model.events.EventRecord#payload(Class)}; client events carry {@link ActivityRecorded} with free
 * metadata. The table of types, records, required fields, producers and consumers is in common-model's README.
 */
package dev.strata.model.events.payload;
