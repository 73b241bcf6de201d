package io.vhba.emulator.iscsi.pdu;

/** A PDU sent by the initiator. */
public sealed interface InitiatorPdu extends Pdu
        permits NopOut, ScsiCommand, TaskManagementRequest, LoginRequest, TextRequest, DataOut, LogoutRequest, SnackRequest {

    /** The I bit: delivered for immediate execution, CmdSN not advanced (RFC 7143 §3.2.2.1). */
    boolean immediate();
}
