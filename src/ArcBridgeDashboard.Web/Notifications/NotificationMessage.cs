using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Reports;

namespace ArcBridgeDashboard.Web.Notifications;

[JsonConverter(typeof(JsonStringEnumConverter<NotificationEvent>))]
public enum NotificationEvent
{
    Failure,
    /// <summary>Still failing, for another reason (403 → 407).</summary>
    ReasonChange,
    Recovery,
    Readiness,
    Test,
}

/// <summary>One notification in channel-neutral form; stored with each delivery so a retry after a restart sends the same.</summary>
public sealed record NotificationMessage
{
    public required NotificationEvent Event { get; init; }
    public required string Title { get; init; }
    public required string Text { get; init; }
    public required DateTimeOffset At { get; init; }
    public IReadOnlyList<NotificationFact> Facts { get; init; } = [];
    public string? Link { get; init; }
    public long? ChangeId { get; init; }
    public string? Service { get; init; }
    public string? Host { get; init; }
    public string? Agent { get; init; }
    public string? Role { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Reason { get; init; }
    public string? Message { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static NotificationMessage FromJson(string json) => JsonSerializer.Deserialize<NotificationMessage>(json, Json)
        ?? throw new InvalidOperationException("A stored notification is empty.");

    /// <summary>What a confirmed change says. A reason-only change arrives as Fail → Fail.</summary>
    public static NotificationMessage For(ConfirmedChangeEvent change, NotificationEvent kind, string? dashboardUrl)
    {
        var role = change.AgentRole.DisplayName();
        var endpoint = $"{change.Service} ({change.Host})";
        var (title, text) = kind switch
        {
            NotificationEvent.Recovery => ($"Recovered: {endpoint} from {change.AgentName}",
                $"{change.Host} is reachable again from {change.AgentName} ({role}): {change.To}."),
            NotificationEvent.ReasonChange => ($"Still failing, now {change.Reason}: {endpoint} from {change.AgentName}",
                DisplayNames.ForDashboard(change.Message) ?? change.Message),
            _ => ($"Failing: {endpoint} from {change.AgentName} ({change.Reason})", DisplayNames.ForDashboard(change.Message) ?? change.Message),
        };
        return new NotificationMessage
        {
            Event = kind, Title = title, Text = text, At = change.At, ChangeId = change.ChangeId,
            Service = change.Service, Host = change.Host, Agent = change.AgentName, Role = role,
            From = change.From?.ToString(), To = change.To.ToString(), Reason = change.Reason.ToString(), Message = DisplayNames.ForDashboard(change.Message) ?? change.Message,
            Link = LinkTo(dashboardUrl, "changes"),
            Facts =
            [
                new("Service", change.Service), new("Host", change.Host), new("Agent", $"{change.AgentName} ({role})"),
                new("Change", $"{change.From?.ToString() ?? "first result"} → {change.To}"), new("Reason", change.Reason.ToString()),
                new("Since", $"{change.At.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"),
            ],
        };
    }

    public static NotificationMessage ForReadiness(ReportVerdict from, ReportVerdict to, int ready, int total, IReadOnlyList<string> blockers, DateTimeOffset at, string? dashboardUrl) => new()
    {
        Event = NotificationEvent.Readiness,
        Title = $"Readiness: {to.DisplayName()} (was {from.DisplayName()})",
        Text = blockers.Count == 0 ? $"{ready} of {total} required checks are ready." : $"{ready} of {total} required checks are ready. {string.Join(" ", blockers.Take(3))}",
        At = at, From = from.DisplayName(), To = to.DisplayName(), Link = LinkTo(dashboardUrl, ""),
        Facts = [new("Readiness", $"{from.DisplayName()} → {to.DisplayName()}"), new("Ready checks", $"{ready} of {total}"), new("At", $"{at.ToUniversalTime():yyyy-MM-dd HH:mm} UTC")],
    };

    public static NotificationMessage ForTest(string channel, DateTimeOffset at, string? dashboardUrl) => new()
    {
        Event = NotificationEvent.Test, Title = $"Test notification for {channel}", At = at, Link = LinkTo(dashboardUrl, "notifications"),
        Text = "ArcBridge Dashboard can reach this channel. Rules decide what comes here.",
    };

    private static string? LinkTo(string? baseUrl, string path) =>
        string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl.TrimEnd('/') + "/" + path;

    /// <summary>The plain text of an e-mail or a log-free preview: title, text, facts, link.</summary>
    public string PlainText() =>
        string.Join("\n", new[] { Title, "", Text, "" }.Concat(Facts.Select(f => $"{f.Name}: {f.Value}"))
            .Concat(Link is null ? [] : ["", $"Open: {Link}"])) + "\n";
}

public sealed record NotificationFact(string Name, string Value);

/// <summary>The bodies each webhook kind expects.</summary>
public static class WebhookPayloads
{
    public static string For(Data.NotificationChannelKind kind, NotificationMessage message) => (kind switch
    {
        Data.NotificationChannelKind.Teams => Teams(message),
        Data.NotificationChannelKind.Slack => Slack(message),
        _ => Generic(message),
    }).ToJsonString();

    /// <summary>Every field of the message, flat, for scripts and ticketing tools.</summary>
    public static JsonNode Generic(NotificationMessage m)
    {
        var node = JsonSerializer.SerializeToNode(m, NotificationMessage.Json)!.AsObject();
        node["source"] = "ArcBridge Dashboard";
        return node;
    }

    /// <summary>A Teams message with one Adaptive Card attachment (what Teams and Power Automate workflows accept).</summary>
    public static JsonNode Teams(NotificationMessage m)
    {
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock", ["text"] = m.Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true,
                ["color"] = m.Event switch { NotificationEvent.Recovery => "Good", NotificationEvent.Test => "Default", NotificationEvent.Readiness when m.To == "Ready" => "Good", _ => "Attention" },
            },
            new JsonObject { ["type"] = "TextBlock", ["text"] = m.Text, ["wrap"] = true },
        };
        if (m.Facts.Count > 0)
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray([.. m.Facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Name, ["value"] = f.Value })]) });
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (m.Link is not null)
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in ArcBridge", ["url"] = m.Link });
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card }),
        };
    }

    /// <summary>Slack: "text" is the notification fallback, blocks carry the layout.</summary>
    public static JsonNode Slack(NotificationMessage m)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Cut(m.Title, 150) } },
            new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Escape(m.Text) } },
        };
        if (m.Facts.Count > 0)
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray([.. m.Facts.Take(10).Select(f => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(f.Name)}*\n{Escape(f.Value)}" })]),
            });
        if (m.Link is not null)
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "button", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Open in ArcBridge" }, ["url"] = m.Link }),
            });
        return new JsonObject { ["text"] = $"{m.Title}: {m.Text}", ["blocks"] = blocks };
    }

    // Slack's mrkdwn treats &, < and > as markup.
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
