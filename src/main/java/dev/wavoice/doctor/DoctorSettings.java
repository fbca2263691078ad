package dev.wavoice.doctor;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the doctor needs to know about this installation: the ids it reads (phone number, WABA, app),
 * the public URL Meta should call, the tokens it reads with (secrets: never in the report or the
 * log), the keys it misses and the deadline of each read.
 */
public record DoctorSettings(
    String phoneNumberId,
    Optional<String> wabaId,
    Optional<String> appId,
    Optional<String> publicUrl,
    String accessToken,
    Optional<String> appAccessToken,
    List<String> missingDoctorKeys,
    Duration readTimeout) {

  public DoctorSettings {
    Objects.requireNonNull(phoneNumberId, "phoneNumberId");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(readTimeout, "readTimeout");
    missingDoctorKeys = List.copyOf(missingDoctorKeys);
  }

  /** The webhook Meta should deliver to: {@code <public-url>/webhook}. */
  public Optional<String> webhookUrl() {
    return publicUrl.map(url -> url + "/webhook");
  }

  @Override
  public String toString() {
    return "DoctorSettings[phoneNumberId=" + phoneNumberId + ", wabaId=" + wabaId.orElse("(unset)") + ", appId="
        + appId.orElse("(unset)") + ", publicUrl=" + publicUrl.orElse("(unset)") + ", readTimeout=" + readTimeout + "]";
  }
}
