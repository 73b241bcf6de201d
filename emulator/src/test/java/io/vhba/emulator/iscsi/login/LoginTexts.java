package io.vhba.emulator.iscsi.login;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vhba.emulator.iscsi.pdu.LoginRequest;
import io.vhba.emulator.iscsi.pdu.LoginResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds Login Requests the way an initiator would, and reads Login Responses. */
final class LoginTexts {

    static final long ISID = 0x80_12_34_56_78_9AL;
    static final int ITT = 0x1000_0001;
    static final int CID = 1;
    static final int CMD_SN = 0x55;
    static final String INITIATOR = "iqn.1994-05.com.example:host1";
    static final String TARGET = "iqn.2024-01.io.vhba:disk0";

    private LoginTexts() {
    }

    /** "k=v\0" for each "k=v" argument. */
    static byte[] text(String... pairs) {
        StringBuilder text = new StringBuilder();
        for (String pair : pairs) {
            text.append(pair).append('\0');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static LoginRequest request(int csg, int nsg, boolean transit, byte[] text) {
        return request(csg, nsg, transit, false, text);
    }

    static LoginRequest request(int csg, int nsg, boolean transit, boolean cont, byte[] text) {
        return new LoginRequest(transit, cont, csg, nsg, 0, 0, ISID, 0, ITT, CID, CMD_SN, 0, buffer(text));
    }

    static ByteBuf buffer(byte[] bytes) {
        return bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
    }

    /** The response's text as an ordered map (releases the data). */
    static Map<String, String> keys(LoginResponse response) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (TextPair pair : pairs(response)) {
            keys.put(pair.key(), pair.value());
        }
        return keys;
    }

    /** The response's text (releases the data). */
    static List<TextPair> pairs(LoginResponse response) {
        try {
            return TextCodec.decode(response.data());
        } finally {
            response.release();
        }
    }

    static String string(LoginResponse response) {
        try {
            return response.data().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }
}
