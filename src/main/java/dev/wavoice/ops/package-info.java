/**
 * Operations: MicroProfile Health checks (live, ready), the admin API (the doctor's included) and the operator
 * console. Nothing here is on the call path; it observes and controls.
 */
package dev.wavoice.ops;
