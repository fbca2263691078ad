package dev.wavoice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PipelineCodersTest {

  @Test
  void countsEachCoderOnceThoughTheGraphNamesItTwice() {
    String dot = """
        subgraph cluster_opusdec0_0x55d5c0e0a0 {
          label="GstOpusDec\\nopusdec0\\n[>]\\nparent=(GstAgnosticBin2) agnosticbin2-1";
        }
        subgraph cluster_mulawenc12_0x55d5c0e1b0 {
          label="GstMuLawEnc\\nmulawenc12\\n[>]";
        }
        subgraph cluster_mulawenc13_0x55d5c0e1c0 {
          label="GstMuLawEnc\\nmulawenc13\\n[>]";
        }
        subgraph cluster_rtpopusdepay1_0x55d5c0e1d0 {
          label="GstRTPOpusDepay\\nrtpopusdepay1\\n[>]";
        }
        """;

    assertThat(PipelineCoders.in(dot).toString()).isEqualTo("mulawenc 2, opusdec 1");
  }

  @Test
  void aGraphWithoutCodersPassesAudioThrough() {
    assertThat(PipelineCoders.in("subgraph cluster_rtpopuspay0_0x1 { label=\"GstRTPOpusPay\\nrtpopuspay0\"; }").toString())
        .isEqualTo("none");
  }
}
