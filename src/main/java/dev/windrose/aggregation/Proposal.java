package dev.windrose.aggregation;

import java.util.List;

/** An aggregation as the user proposes it, before anything is created. */
public record Proposal(String name, Platform platform, List<ProposedMember> members) {

    public Proposal {
        members = List.copyOf(members);
    }
}
