package io.vhba.miniport;

/** What {@code HwStorFindAdapter} returns (the {@code SP_RETURN_*} values). */
public enum FindAdapterStatus {
    SP_RETURN_NOT_FOUND(0),
    SP_RETURN_FOUND(1),
    SP_RETURN_ERROR(2),
    SP_RETURN_BAD_CONFIG(3);

    private final int code;

    FindAdapterStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
