package io.vhba.hw;

/** The direction of a command's data phase, seen from the initiator (SAM-5). */
public enum DataDirection {
    NONE,
    /** Data-In: device to initiator (a READ). */
    IN,
    /** Data-Out: initiator to device (a WRITE). */
    OUT,
    /** Both (bidirectional commands such as XDWRITEREAD); not used by the disk model. */
    BIDIRECTIONAL
}
