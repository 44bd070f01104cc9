using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>
/// Random tokens and credentials and their hashes. Both carry 256 random bits, so a plain SHA-256 is enough to
/// store them (no password stretching needed: they cannot be guessed from a dictionary).
/// </summary>
public static class AgentSecrets
{
    public const string TokenPrefix = "abe_";
    public const string CredentialPrefix = "abc_";

    public static string NewEnrollmentToken() => TokenPrefix + RandomPart();

    /// <summary>"abc_{agentId}_{secret}": the id lets the server find the row without scanning hashes.</summary>
    public static string NewCredential(int agentId) => $"{CredentialPrefix}{agentId.ToString(CultureInfo.InvariantCulture)}_{RandomPart()}";

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool HashEquals(string secret, string? storedHash) =>
        storedHash is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));

    public static bool TryParseCredential(string credential, out int agentId)
    {
        agentId = 0;
        if (!credential.StartsWith(CredentialPrefix, StringComparison.Ordinal))
            return false;
        var rest = credential.AsSpan(CredentialPrefix.Length);
        var underscore = rest.IndexOf('_');
        return underscore > 0 && int.TryParse(rest[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out agentId);
    }

    private static string RandomPart() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
