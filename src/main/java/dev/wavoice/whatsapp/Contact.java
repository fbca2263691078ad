package dev.wavoice.whatsapp;

/** The WhatsApp user of an event: their profile name and WhatsApp id (phone number without "+"). */
public record Contact(Profile profile, String waId) {

  public record Profile(String name) {}

  public String name() {
    return profile == null ? null : profile.name();
  }
}
