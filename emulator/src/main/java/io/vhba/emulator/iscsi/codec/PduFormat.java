package io.vhba.emulator.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.vhba.emulator.iscsi.pdu.Opcode;
import io.vhba.emulator.iscsi.pdu.Pdu;

import java.util.function.Function;

/**
 * How one opcode's record maps onto the wire: which segments the PDU may carry and its
 * opcode-specific BHS fields in both directions. The common fields (opcode, TotalAHSLength,
 * DataSegmentLength, digests, padding) are the codec's business, not the format's.
 *
 * @param opcode   the opcode
 * @param type     the record class
 * @param segments which segments besides the BHS the RFC allows
 * @param writer   writes the record's fields into a zeroed BHS whose opcode is already set
 * @param reader   builds the record from a BHS, its parsed AHS and its data segment (ownership passes)
 * @param ahs      the AHS a record needs; {@link AdditionalHeaders#NONE} for all but the SCSI Command
 */
record PduFormat<P extends Pdu>(Opcode opcode, Class<P> type, Segments segments, FieldWriter<P> writer,
                                FieldReader<P> reader, Function<P, AdditionalHeaders> ahs) {

    /** The segments a PDU may carry after its BHS. */
    enum Segments {
        /** TotalAHSLength and DataSegmentLength are 0 (e.g. §11.5, §11.8, §11.14, §11.16). */
        BHS_ONLY(false, false),
        DATA(false, true),
        /** Only the SCSI Command has AHS types defined (§11.2.2.2). */
        AHS_AND_DATA(true, true);

        final boolean ahs;
        final boolean data;

        Segments(boolean ahs, boolean data) {
            this.ahs = ahs;
            this.data = data;
        }
    }

    @FunctionalInterface
    interface FieldWriter<P> {
        void write(P pdu, Bhs bhs);
    }

    @FunctionalInterface
    interface FieldReader<P> {
        P read(Bhs bhs, AdditionalHeaders ahs, ByteBuf data);
    }

    void writeFields(Pdu pdu, Bhs bhs) {
        writer.write(type.cast(pdu), bhs);
    }

    AdditionalHeaders additionalHeaders(Pdu pdu) {
        return ahs.apply(type.cast(pdu));
    }

    P read(Bhs bhs, AdditionalHeaders additionalHeaders, ByteBuf data) {
        return reader.read(bhs, additionalHeaders, data);
    }
}
