package dev.wavoice.testkit.kms;

/**
 * An error answer of the Kurento JSON-RPC protocol, with the code, {@code data.type} and message the
 * real KMS 7.3.0 sends (captured from it; see docs/testing notes in {@link KmsDouble}).
 */
final class KmsError extends RuntimeException {

  final int code;
  /** {@code data.type}; null for plain JSON-RPC errors that carry no data (e.g. -32601). */
  final String type;

  KmsError(int code, String type, String message) {
    super(message, null, false, false);
    this.code = code;
    this.type = type;
  }

  static KmsError methodNotFound() {
    return new KmsError(-32601, null, "Method not found.");
  }

  static KmsError paramsRequired() {
    return new KmsError(-32602, "INVALID_PARAMS", "'params' is required");
  }

  static KmsError server(String message) {
    return new KmsError(-32000, null, message);
  }

  static KmsError marshall(String message) {
    return new KmsError(40001, "MARSHALL_ERROR", message);
  }

  static KmsError notImplemented(String message) {
    return new KmsError(40006, "NOT_IMPLEMENTED", "KMS double: " + message);
  }

  static KmsError invalidSession() {
    return new KmsError(40007, "INVALID_SESSION", "Invalid session");
  }

  static KmsError malformedTransaction(String message) {
    return new KmsError(40008, "MALFORMED_TRANSACTION", message);
  }

  static KmsError objectNotFound(String id) {
    return new KmsError(40101, "MEDIA_OBJECT_NOT_FOUND", "Object '" + id + "' not found");
  }

  static KmsError eventNotSupported(String event) {
    return new KmsError(40106, "MEDIA_OBJECT_EVENT_NOT_SUPPORTED", "Event '" + event + "' not supported");
  }

  static KmsError factoryNotFound(String type) {
    return new KmsError(40108, "MEDIA_OBJECT_NOT_AVAILABLE", "Factory '" + type + "' not found");
  }

  static KmsError tagNotFound() {
    return new KmsError(40110, "MEDIA_OBJECT_TAG_KEY_NOT_FOUND", "Tag key not found");
  }

  static KmsError connectError(String message) {
    return new KmsError(40004, "CONNECT_ERROR", message);
  }

  static KmsError sdpParse() {
    return new KmsError(40201, "SDP_PARSE_ERROR", "Invalid SDP");
  }

  static KmsError noLocalSdp() {
    return new KmsError(40202, "SDP_END_POINT_NO_LOCAL_SDP_ERROR", "No local SDP");
  }

  static KmsError noRemoteSdp() {
    return new KmsError(40203, "SDP_END_POINT_NO_REMOTE_SDP_ERROR", "No remote SDP");
  }

  static KmsError processOffer(String message) {
    return new KmsError(40205, "SDP_END_POINT_PROCESS_OFFER_ERROR", message);
  }

  static KmsError processAnswer(String message) {
    return new KmsError(40206, "SDP_END_POINT_PROCESS_ANSWER_ERROR", message);
  }

  static KmsError alreadyNegotiated() {
    return new KmsError(40208, "SDP_END_POINT_ALREADY_NEGOTIATED", "Endpoint already negotiated");
  }

  static KmsError offerNotGenerated() {
    return new KmsError(40209, "SDP_END_POINT_NOT_OFFER_GENERATED", "Offer not generated. It is not possible to process an answer.");
  }

  static KmsError answerAlreadyProcessed() {
    return new KmsError(40210, "SDP_END_POINT_ANSWER_ALREADY_PROCCESED", "Sdp Answer already processed");
  }
}
