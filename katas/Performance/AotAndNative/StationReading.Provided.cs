namespace Koans.Performance.AotAndNative;

/// <summary>One day's reading from a weather station: the record the codec writes and reads as JSON.</summary>
/// <param name="Station">The station's name.</param>
/// <param name="Day">The calendar day, written as an ISO 8601 date (<c>"2024-01-15"</c>).</param>
/// <param name="HighCelsius">The day's highest temperature.</param>
/// <param name="LowCelsius">The day's lowest temperature.</param>
/// <param name="Alerts">The alerts issued that day, in order; empty when there were none.</param>
public sealed record StationReading(string Station, DateOnly Day, double HighCelsius, double LowCelsius, IReadOnlyList<string> Alerts);
