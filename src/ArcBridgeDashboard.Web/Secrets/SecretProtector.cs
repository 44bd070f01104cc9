using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace ArcBridgeDashboard.Web.Secrets;

/// <summary>
/// Encrypts secrets the dashboard must keep in its database (proxy password; SMTP and webhook secrets later) with
/// ASP.NET Core Data Protection. A stored value carries <see cref="Prefix"/>, so a value written before encryption
/// existed is recognised as clear text and re-written protected at start (<see cref="ClearTextSecretMigrator"/>).
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    public const string Prefix = "dp1:";

    // One purpose for every stored secret: a value copied into another setting's row still decrypts, which is
    // harmless, and callers need not agree on purpose strings.
    private readonly IDataProtector _protector = provider.CreateProtector("ArcBridgeDashboard.StoredSecrets.v1");

    /// <summary>The value to store: "dp1:" followed by the protected payload.</summary>
    public string Protect(string plainText) => Prefix + _protector.Protect(plainText);

    /// <summary>The clear secret of a stored value; a value without the prefix is legacy clear text and returned as is.</summary>
    /// <exception cref="SecretUnreadableException">The key that protected it is gone (a lost key ring or keys folder).</exception>
    public string Unprotect(string stored)
    {
        if (!IsProtected(stored))
            return stored;
        try
        {
            return _protector.Unprotect(stored[Prefix.Length..]);
        }
        catch (CryptographicException ex)
        {
            throw new SecretUnreadableException(
                "A stored secret cannot be decrypted: the Data Protection key that encrypted it is missing (was the database or ArcBridge:DataProtection:KeysDirectory replaced?). Enter the secret again in Settings.", ex);
        }
    }

    /// <summary>The clear secret, or null when there is none or it cannot be decrypted any more.</summary>
    public string? TryUnprotect(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return null;
        try
        {
            return Unprotect(stored);
        }
        catch (SecretUnreadableException)
        {
            return null;
        }
    }

    public static bool IsProtected(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);
}

/// <summary>A stored secret whose key is gone; the message says what to do.</summary>
public sealed class SecretUnreadableException(string message, Exception inner) : Exception(message, inner);
