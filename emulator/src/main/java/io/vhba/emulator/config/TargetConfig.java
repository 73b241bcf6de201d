package io.vhba.emulator.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One iSCSI target: its name, optional alias and CHAP, its LUNs, whether each new I_T nexus first sees a
 * power-on/reset unit attention (default true; see ScsiTarget#unitAttentionOnLogin), and who may log in to it
 * ({@code acl}: empty lets every initiator in; see {@link AclEntryConfig}).
 */
public record TargetConfig(String iqn, String alias, ChapConfig chap, List<LunConfig> luns, Boolean unitAttentionOnLogin,
                           List<AclEntryConfig> acl) {

    public TargetConfig(String iqn, String alias, ChapConfig chap, List<LunConfig> luns) {
        this(iqn, alias, chap, luns, null, null);
    }

    public TargetConfig(String iqn, String alias, ChapConfig chap, List<LunConfig> luns, Boolean unitAttentionOnLogin) {
        this(iqn, alias, chap, luns, unitAttentionOnLogin, null);
    }

    public TargetConfig {
        luns = luns == null ? List.of(new LunConfig(null, null, null, null, null, null, null, null)) : List.copyOf(luns);
        unitAttentionOnLogin = unitAttentionOnLogin == null || unitAttentionOnLogin;
        acl = acl == null ? List.of() : List.copyOf(acl);
    }

    /** The same target with {@code entries} as its access control list. */
    public TargetConfig withAcl(List<AclEntryConfig> entries) {
        return new TargetConfig(iqn, alias, chap, luns, unitAttentionOnLogin, entries);
    }

    /** The same target with {@code c} as its CHAP configuration. */
    public TargetConfig withChap(ChapConfig c) {
        return new TargetConfig(iqn, alias, c, luns, unitAttentionOnLogin, acl);
    }

    void validate(String where) {
        if (iqn == null || !(iqn.startsWith("iqn.") || iqn.startsWith("eui.") || iqn.startsWith("naa."))) {
            throw new ConfigException(where + ".iqn: '" + iqn + "' is not an iSCSI name (iqn., eui. or naa.)");
        }
        if (iqn.length() > 223 || !iqn.equals(iqn.toLowerCase(java.util.Locale.ROOT)) || iqn.contains(" ")) {
            throw new ConfigException(where + ".iqn: '" + iqn + "' must be lower case, without spaces, at most 223 bytes (RFC 3722)");
        }
        if (luns.isEmpty()) {
            throw new ConfigException(where + ": a target needs at least one LUN");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < luns.size(); i++) {
            LunConfig l = luns.get(i);
            l.validate(where + ".luns[" + i + "]");
            if (!seen.add(l.lun())) {
                throw new ConfigException(where + ".luns[" + i + "]: LUN " + l.lun() + " is defined twice");
            }
        }
        if (chap != null) {
            chap.validate(where + ".chap");
        }
        Set<String> patterns = new HashSet<>();
        for (int i = 0; i < acl.size(); i++) {
            AclEntryConfig e = acl.get(i);
            if (e == null) {
                throw new ConfigException(where + ".acl[" + i + "]: an empty entry");
            }
            e.validate(where + ".acl[" + i + "]", seen);
            if (!patterns.add(e.pattern().toString())) {
                throw new ConfigException(where + ".acl[" + i + "]: " + e.pattern() + " is listed twice");
            }
        }
    }
}
