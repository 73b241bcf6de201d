package io.vhba.emulator.management;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.POST;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.scsi.core.access.AccessControlList;
import io.vhba.emulator.scsi.core.access.AclRule;
import java.util.List;

/**
 * {@code /targets/{iqn}/acl}: a target's access control list (docs/security.md). {@code POST} one rule, in the shape of
 * a YAML {@code acl:} entry: {@code {"initiator":"iqn.2026-12.example:*"}} (every LUN),
 * {@code {"initiator":"...","luns":[0,2]}} (LUN masking) or {@code {"deny":"..."}}; a rule for a pattern that has one
 * replaces it. {@code DELETE ?initiator=PATTERN} revokes the rule of that pattern. A change holds for the next login
 * and the next command, and every nexus of the target gets REPORTED LUNS DATA HAS CHANGED; existing sessions stay.
 */
final class AclResources {
    private AclResources() {}

    record RuleRequest(String initiator, List<Integer> luns, String deny) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RuleView(String action, String initiator, List<Integer> luns) {
        static RuleView of(AclRule rule) {
            if (rule instanceof AclRule.Allow a) {
                return new RuleView("allow", a.initiator().toString(), a.luns().luns().map(List::copyOf).orElse(null));
            }
            return new RuleView("deny", rule.initiator().toString(), null);
        }
    }

    static void register(RouteTable t, Vhba v) {
        t.add(GET, "/targets/{iqn}/acl", r -> ApiResponse.ok(acl(v, r).list().stream().map(RuleView::of).toList()));
        t.add(POST, "/targets/{iqn}/acl", r -> {
            AccessControlList acl = acl(v, r);
            RuleRequest req = r.json(RuleRequest.class);
            boolean allow = req.initiator() != null && !req.initiator().isBlank();
            boolean deny = req.deny() != null && !req.deny().isBlank();
            if (allow == deny) {
                throw ApiException.badRequest("initiator or deny: exactly one is required (an IQN/EUI/NAA name, or a prefix ending in *)");
            }
            if (deny && req.luns() != null) {
                throw ApiException.badRequest("luns: a deny rule has no LUN list");
            }
            AclRule rule = deny ? acl.deny(req.deny())
                    : req.luns() == null ? acl.allow(req.initiator()) : acl.allow(req.initiator(), req.luns());
            return ApiResponse.created(r.path(), RuleView.of(rule));
        });
        t.add(DELETE, "/targets/{iqn}/acl", r -> {
            List<String> pattern = r.query().get("initiator");
            if (pattern == null || pattern.size() != 1 || pattern.get(0).isBlank()) {
                throw ApiException.badRequest("initiator: one query parameter naming the rule's pattern is required");
            }
            if (!acl(v, r).revoke(pattern.get(0))) {
                throw ApiException.notFound("no rule for " + pattern.get(0));
            }
            return ApiResponse.noContent();
        });
    }

    private static AccessControlList acl(Vhba v, ApiRequest r) {
        return TargetResources.target(v, r.param("iqn")).acl();
    }
}
