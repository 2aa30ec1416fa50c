package dev.strata.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.client.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** What each command prints from a service's answer (the answers as the services shape them). */
class OutputTest {

    private static final ObjectMapper MAPPER = Json.mapper();

    private static String print(BiConsumer<JsonNode, PrintWriter> printer, String json) throws Exception {
        StringWriter out = new StringWriter();
        printer.accept(MAPPER.readTree(json), new PrintWriter(out));
        return out.toString();
    }

    @Test
    void shouldPrintQuotasAsATableAndTheWarnings() throws Exception {
        String quotas = """
                {"groupId":"6b1e0c1a-0000-4000-8000-000000000001","plan":"starter","quotas":{
                  "users":{"current":1,"limit":5,"percentUsed":20.0,"status":"ok"},
                  "storage_gb":{"current":0.000012,"limit":1,"percentUsed":0.0012,"status":"ok"},
                  "entities_total":{"current":96,"limit":100,"percentUsed":96.0,"status":"critical"},
                  "events_retention_days":{"current":0,"limit":null,"percentUsed":null,"status":"unlimited"}},
                 "warnings":[{"metric":"entities_total","current":96,"limit":100,"percentUsed":96.0,
                              "status":"critical"}],
                 "summary":{"allOk":false,"warningCount":0,"criticalCount":1,"exceededCount":0}}""";

        assertThat(print(QuotasCommand::print, quotas)).isEqualTo("""
                Group 6b1e0c1a-0000-4000-8000-000000000001, plan starter
                METRIC                  CURRENT      LIMIT  PERCENT  STATUS
                users                         1          5   20.0 %  ok
                storage_gb             0.000012          1    0.0 %  ok
                entities_total               96        100   96.0 %  critical
                events_retention_days         0  unlimited        -  unlimited
                Warnings:
                  entities_total: 96 of 100 (96.0 %), critical
                """);
    }

    @Test
    void shouldSaySoWhenNoQuotaIsNearItsLimit() throws Exception {
        String quotas = "{\"groupId\":\"g\",\"plan\":\"pro\",\"quotas\":{},\"warnings\":[]}";

        assertThat(print(QuotasCommand::print, quotas)).endsWith("No warnings.\n");
    }

    @Test
    void shouldPrintEveryScalarFigureAndTheTopContent() throws Exception {
        String metrics = """
                {"groupId":"g1","_computed":{"userCount":3,"totalEntities":42,"revenueThisMonth":12.50,
                  "storageUsedMB":0.000012,
                  "isActive":true,"lastComputed":"2026-01-02T03:04:05Z",
                  "topContentByEngagement":[{"entityId":"t1","name":"Intro","type":"video","connectionCount":7,
                                             "createdAt":"2026-01-01T00:00:00Z"}]},
                 "_freshness":{"position":"p","lagMs":12,"stale":false}}""";

        assertThat(print(MetricsCommand::print, metrics)).isEqualTo("""
                Group g1 (stream lag 12 ms)
                FIGURE            VALUE
                userCount         3
                totalEntities     42
                revenueThisMonth  12.50
                storageUsedMB     0.000012
                isActive          true
                lastComputed      2026-01-02T03:04:05Z

                Top content by engagement:
                NAME   TYPE   CONNECTIONS  ID
                Intro  video            7  t1
                """);
    }

    @Test
    void shouldSummariseAnImportWithItsItemErrors() throws Exception {
        String job = """
                {"id":"j1","groupId":"g1","status":"succeeded","format":"ndjson","bytes":900,"processed":200,
                 "created":197,"failed":5,"percent":100.0,"errors":[
                   {"index":10,"field":"type","error":"unknown thing type 'spaceship'"},
                   {"index":50,"field":"name","error":"must not be blank"}],
                 "error":null,"createdAt":"2026-01-01T00:00:00Z","startedAt":"2026-01-01T00:00:01Z",
                 "finishedAt":"2026-01-01T00:00:03.500Z"}""";

        assertThat(print(ImportCommand::printSummary, job)).isEqualTo("""
                Import j1 succeeded in 2.5s: 200 processed, 197 created, 5 failed
                Errors (the first 2 of 5):
                  item 10, type: unknown thing type 'spaceship'
                  item 50, name: must not be blank
                """);
    }

    @Test
    void shouldSayWhyAFailedImportStopped() throws Exception {
        String job = """
                {"id":"j2","status":"failed","processed":3000,"created":3000,"failed":0,"errors":[],
                 "error":"quota-exceeded: entities_total","startedAt":"2026-01-01T00:00:01Z","finishedAt":null}""";

        assertThat(print(ImportCommand::printSummary, job)).isEqualTo("""
                Import j2 failed: 3000 processed, 3000 created, 0 failed
                Error: quota-exceeded: entities_total
                """);
    }

    @Test
    void shouldSummariseAnArchiveRun() throws Exception {
        String run = """
                {"id":"r1","kind":"archive","status":"succeeded","groupsTotal":2,"groupsProcessed":2,
                 "eligibleAtStart":30,"totalArchived":30,"totalFailed":0,"totalTime":1250,"successRate":100.0,
                 "progress":100.0,"manifestKey":"manifests/run-r1.json","expiredObjects":0,"batches":[
                   {"groupId":"g1","date":"2025-01-01","objectKey":"k","archived":30,"failed":0,"duration":800}]}""";

        assertThat(print(ArchivalCommand.Run::printSummary, run)).isEqualTo("""
                Archive run r1 succeeded in 1.3s: 30 events archived, 0 failed, 2 of 2 groups, success rate 100.0 %
                Manifest: manifests/run-r1.json
                GROUP  DATE        ARCHIVED  FAILED  DURATION
                g1     2025-01-01        30       0  800ms
                """);
    }
}
