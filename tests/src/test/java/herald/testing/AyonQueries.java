package herald.testing;

import com.fasterxml.jackson.databind.node.TextNode;

/** GraphQL requests exactly as Ayon's Python client ({@code ayon_api}) sends them. */
public final class AyonQueries {

    private AyonQueries() {
    }

    /**
     * What {@code get_users(usernames=...)} and {@code get_user_by_name(name)} send, with the client's default user
     * fields; {@code namesJson} is the {@code userNames} variable, a JSON list or {@code null}.
     */
    public static String users(String namesJson) {
        String query = "query Users($userNames: [String!]) {\n  users(names: $userNames, first: 300) {\n"
                + "    edges { node { accessGroups active apiKeyPreview attrib { avatarUrl email fullName } createdAt "
                + "defaultAccessGroups hasPassword isAdmin isGuest isManager isService name updatedAt } }\n"
                + "    pageInfo { endCursor hasNextPage }\n  }\n}";
        return "{\"query\":" + new TextNode(query) + ",\"variables\":{\"userNames\":" + namesJson + "}}";
    }
}
