using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Monitoring.Changes;

/// <summary>One annotation as pages and charts show it.</summary>
public sealed record AnnotationView(long Id, DateTimeOffset At, string Text, AnnotationKind Kind, string? Author);

/// <summary>Writes annotations: an operator's, or the dashboard's own when Settings or the allowlist change.</summary>
public sealed partial class AnnotationService(ArcBridgeDbContext db, TimeProvider time, ILogger<AnnotationService> logger)
{
    public const int MaxTextLength = 500;

    /// <summary>A clear sentence when the text cannot be saved; null when it can.</summary>
    public static string? Validate(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "Write what happened, for example \"proxy change CHG-1234\"."
        : text.Trim().Length > MaxTextLength ? $"An annotation holds at most {MaxTextLength} characters (this one has {text.Trim().Length})."
        : null;

    /// <param name="at">The moment annotated; now when null.</param>
    /// <exception cref="ArgumentException">The text is empty or too long (<see cref="Validate"/> says why); nothing is saved.</exception>
    public async Task<AnnotationView> AddAsync(string text, AnnotationKind kind, DateTimeOffset? at = null, string? author = null, CancellationToken cancellationToken = default)
    {
        if (Validate(text) is { } error)
            throw new ArgumentException(error, nameof(text));
        var row = new Annotation { At = at ?? time.GetUtcNow(), Text = text.Trim(), Kind = kind, Author = author };
        db.Annotations.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        LogAnnotated(row.Id, kind);
        return new AnnotationView(row.Id, row.At, row.Text, row.Kind, row.Author);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Annotation {AnnotationId} added ({Kind})")]
    private partial void LogAnnotated(long annotationId, AnnotationKind kind);
}

/// <summary>Annotations in a time window, oldest first: for What changed, the drill-down charts and the readiness trend.</summary>
public sealed class AnnotationsQuery(ArcBridgeDbContext db)
{
    public const int MaxRows = 500;

    public async Task<IReadOnlyList<AnnotationView>> InWindowAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        await db.Annotations.AsNoTracking().Where(a => a.At >= from && a.At <= to).OrderBy(a => a.At).ThenBy(a => a.Id).Take(MaxRows)
            .Select(a => new AnnotationView(a.Id, a.At, a.Text, a.Kind, a.Author)).ToListAsync(cancellationToken);

    /// <summary>The newest annotation at or before <paramref name="at"/>: the "since last annotation" preset.</summary>
    public async Task<AnnotationView?> LastBeforeAsync(DateTimeOffset at, CancellationToken cancellationToken = default) =>
        await db.Annotations.AsNoTracking().Where(a => a.At <= at).OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Select(a => new AnnotationView(a.Id, a.At, a.Text, a.Kind, a.Author)).FirstOrDefaultAsync(cancellationToken);
}
