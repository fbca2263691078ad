package dev.wavoice.testkit.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wavoice.testkit.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kurento.client.KurentoClient;
import org.kurento.client.MediaPipeline;

/** The KMS double in its own process, as load runs use it. */
class KmsDoubleMainTest {

  @Test
  void itServesKurentoClientsFromItsOwnProcess() throws Exception {
    int port = Ports.freeTcpPort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KmsDoubleMain.class.getName(),
        "--port", Integer.toString(port), "--ports", "43000-43099", "--auto-connect").redirectErrorStream(true).start();
    try {
      CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = lines.readLine()) != null) {
            if (line.startsWith("KMS double listening on ")) {
              return line.substring("KMS double listening on ".length());
            }
          }
          return null;
        } catch (java.io.IOException e) {
          return null;
        }
      });
      String url = ready.get(30, TimeUnit.SECONDS);
      assertThat(url).isEqualTo("ws://127.0.0.1:" + port + "/kurento");

      KurentoClient client = KurentoClient.create(url);
      try {
        MediaPipeline pipeline = client.createMediaPipeline();
        List<MediaPipeline> pipelines = client.getServerManager().getPipelines();
        assertThat(pipelines).extracting(MediaPipeline::getId).containsExactly(pipeline.getId());
        pipeline.release();
        assertThat(client.getServerManager().getPipelines()).isEmpty();
      } finally {
        client.destroy();
      }
    } finally {
      process.destroy();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void itListsTheProtocolViolationsOnItsControlChannel() throws Exception {
    int port = Ports.freeTcpPort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KmsDoubleMain.class.getName(),
        "--port", Integer.toString(port), "--ports", "43100-43199", "--control-stdin").redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        java.io.PrintWriter in = new java.io.PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String url = CompletableFuture.supplyAsync(() -> lineStarting(out, "KMS double listening on ")).get(30, TimeUnit.SECONDS)
          .substring("KMS double listening on ".length());
      in.println("VIOLATIONS");
      assertThat(CompletableFuture.supplyAsync(() -> lineStarting(out, "VIOLATIONS")).get(10, TimeUnit.SECONDS)).isEqualTo("VIOLATIONS 0");

      try (RawKurentoSocket socket = RawKurentoSocket.open(url)) {
        assertThat(socket.call("{\"id\":1,\"method\":\"ping\",\"jsonrpc\":\"1.0\"}").getJsonObject("error").getInt("code")).isEqualTo(-32600);
      }
      in.println("VIOLATIONS");
      String listed = CompletableFuture.supplyAsync(() -> lineStarting(out, "VIOLATIONS")).get(10, TimeUnit.SECONDS);
      assertThat(listed.split("\t")).hasSize(2).startsWith("VIOLATIONS 1");
      assertThat(listed.split("\t")[1]).startsWith("invalid JSON-RPC request: ").contains("\"jsonrpc\":\"1.0\"");
    } finally {
      process.destroy();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static String lineStarting(BufferedReader out, String prefix) {
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(prefix)) {
          return line;
        }
      }
      return null;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
