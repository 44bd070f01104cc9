using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ArcBridgeDashboard.Web.Data.Configurations;

/// <summary>Times are INTEGER unix milliseconds so SQLite can index, compare and range-scan them.</summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
