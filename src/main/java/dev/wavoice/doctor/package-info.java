/**
 * The setup doctor: checks of the WhatsApp, OpenAI, Kurento and media-path prerequisites (each with
 * what to do when it fails), the fixes it can make itself, and its report. Served by the admin API and
 * a readiness check in {@code ops}; it never touches a call.
 */
package dev.wavoice.doctor;
