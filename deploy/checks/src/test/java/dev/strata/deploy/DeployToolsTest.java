package dev.strata.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tools themselves say about the files, where this machine has them; skipped otherwise. */
class DeployToolsTest {

    @Test
    void shouldPassDockerComposeValidation(@TempDir Path temp) throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose (Debian's compose v1) is not installed");
        Path key = Files.writeString(temp.resolve("jwt-public.pem"), "placeholder");
        Result result = run(
                List.of("docker-compose", "-f", "docker-compose.yml", "config", "-q"),
                Map.of(
                        "STRATA_SERVICE_TOKEN",
                        "token",
                        "STRATA_ADMIN_TOKEN",
                        "token",
                        "STRATA_JWT_PUBLIC_KEY",
                        key.toString()));
        assertThat(result.exitCode()).as("%s", result).isZero();
    }

    @Test
    void shouldBuildTheKustomizationIntoTheSameObjects() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl is not installed");
        Result result = run(List.of("kubectl", "kustomize", KubernetesManifestsTest.DIR), Map.of());
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(KubernetesManifestsTest.parse(result.output()))
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(KubernetesManifestsTest.OBJECTS.stream()
                        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                        .toList());
    }

    /** deploy/compose/tokens.sh: tokens the services accept (RS256 over the public key they mount, their issuer). */
    @Test
    void shouldMintTokensTheServicesAccept(@TempDir Path home) throws Exception {
        assumeTrue(onPath("openssl") && onPath("bash"), "openssl is not installed");
        Result result = run(List.of("bash", "deploy/compose/tokens.sh"), Map.of("STRATA_HOME", home.toString()));
        assertThat(result.exitCode()).as("%s", result).isZero();

        Map<String, String> env = new LinkedHashMap<>();
        Files.readAllLines(home.resolve("compose.env")).forEach(line -> {
            String[] pair = line.split("=", 2);
            env.put(pair[0], pair[1]);
        });
        assertThat(Path.of(env.get("STRATA_JWT_PUBLIC_KEY"))).isEqualTo(home.resolve("keys/jwt-public.pem"));
        PublicKey key = publicKey(home.resolve("keys/jwt-public.pem"));
        String composeIssuer = Repo.group(
                ComposeFileTest.environment("ingest-service").get("MP_JWT_VERIFY_ISSUER"),
                "^\\$\\{STRATA_JWT_ISSUER:-(.+)}$");

        JsonNode service = verifiedClaims(env.get("STRATA_SERVICE_TOKEN"), key);
        assertThat(service.get("iss").asText()).isEqualTo(composeIssuer).isEqualTo(env.get("STRATA_JWT_ISSUER"));
        assertThat(service.get("groups")).extracting(JsonNode::asText).containsExactly("service");
        assertThat(service.get("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());

        JsonNode admin = verifiedClaims(env.get("STRATA_ADMIN_TOKEN"), key);
        assertThat(admin.get("groups")).extracting(JsonNode::asText).containsExactly("admin");
        assertThat(admin.get("tenants")).isEmpty();
    }

    static JsonNode verifiedClaims(String token, PublicKey key) throws Exception {
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Base64.Decoder decoder = Base64.getUrlDecoder();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(decoder.decode(parts[0])).get("alg").asText()).isEqualTo("RS256");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(key);
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(signature.verify(decoder.decode(parts[2]))).as("signature").isTrue();
        return json.readTree(decoder.decode(parts[1]));
    }

    static PublicKey publicKey(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** Standard output apart, so a tool's warnings on stderr cannot spoil what the test parses. */
    record Result(int exitCode, String output, String errors) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + output + errors;
        }
    }

    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("deploy-checks", ".err");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectError(errors.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), output, Files.readString(errors));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }
}
