package io.vhba.emulator.iscsi.pdu;

/** A PDU sent by the target. */
public sealed interface TargetPdu extends Pdu
        permits NopIn, ScsiResponse, TaskManagementResponse, LoginResponse, TextResponse, DataIn, LogoutResponse,
                R2T, AsyncMessage, Reject {
}
