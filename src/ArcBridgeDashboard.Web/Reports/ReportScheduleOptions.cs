using System.Globalization;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>Section "ArcBridge:Reports:Schedule": a weekly report, generated as "scheduler" and handed to <see cref="IReportDelivery"/>.</summary>
public sealed class ReportScheduleOptions
{
    public const string SectionName = "ArcBridge:Reports:Schedule";

    public bool Enabled { get; set; }

    /// <summary>Day of the week (Monday … Sunday).</summary>
    public string Day { get; set; } = nameof(DayOfWeek.Monday);

    /// <summary>Time of day in UTC, HH:mm.</summary>
    public string Time { get; set; } = "07:00";

    /// <summary>Who gets the report by e-mail (needs ArcBridge:Smtp); items may hold several addresses, comma-separated.</summary>
    public List<string> Recipients { get; set; } = [];

    public DayOfWeek DayOfWeek => Enum.Parse<DayOfWeek>(Day, ignoreCase: true);

    public TimeOnly TimeOfDay => TimeOnly.ParseExact(Time, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture);

    /// <summary>The first scheduled moment strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var days = ((int)DayOfWeek - (int)utc.DayOfWeek + 7) % 7;
        var candidate = new DateTimeOffset(utc.Date.AddDays(days), TimeSpan.Zero) + TimeOfDay.ToTimeSpan();
        return candidate > utc ? candidate : candidate.AddDays(7);
    }
}

public sealed class ReportScheduleOptionsValidator : IValidateOptions<ReportScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportScheduleOptions options)
    {
        var errors = new List<string>();
        if (!Enum.TryParse<DayOfWeek>(options.Day, ignoreCase: true, out var day) || !Enum.IsDefined(day) || int.TryParse(options.Day, out _))
            errors.Add($"{ReportScheduleOptions.SectionName}:Day '{options.Day}' is not a day of the week (Monday … Sunday).");
        if (!TimeOnly.TryParseExact(options.Time, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            errors.Add($"{ReportScheduleOptions.SectionName}:Time '{options.Time}' is not a time of day in UTC as HH:mm (for example 07:00).");
        if (Notifications.MailAddresses.FirstInvalid(Notifications.MailAddresses.Split(options.Recipients)) is { } bad)
            errors.Add($"{ReportScheduleOptions.SectionName}:Recipients '{bad}' is not an e-mail address.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
