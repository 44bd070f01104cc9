using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace ArcBridgeDashboard.Probes.Tls;

/// <summary>
/// Asks a peer whether it accepts TLS 1.0/1.1 by sending a hand-built ClientHello that offers only those versions
/// and reading the ServerHello's version. OpenSSL 3 (SECLEVEL 2, MinProtocol TLSv1.2) will not let SslStream
/// offer them at all, and a TLS 1.1-only server rejects a modern hello with a bare handshake_failure alert,
/// so this is how "too old" is told apart from any other handshake failure. No key exchange is done.
/// </summary>
public static class LegacyTlsHello
{
    // ECDHE-RSA/ECDSA and plain RSA suites with AES-CBC and 3DES: what TLS 1.0/1.1 servers actually pick.
    private static readonly ushort[] CipherSuites = [0xc013, 0xc014, 0xc009, 0xc00a, 0x002f, 0x0035, 0x0033, 0x0039, 0x000a];

    /// <summary>Returns "TLS 1.0" or "TLS 1.1" when the peer answers with such a ServerHello, null otherwise.</summary>
    public static async Task<string?> NegotiatedVersionAsync(Stream stream, string host, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Build(host), cancellationToken).ConfigureAwait(false);
        var header = new byte[9];
        if (!await ReadExactlyAsync(stream, header, cancellationToken).ConfigureAwait(false))
            return null;
        // record type 22 (handshake), then handshake type 2 (ServerHello), then server_version
        if (header[0] != 0x16 || header[5] != 0x02)
            return null;
        var version = new byte[2];
        if (!await ReadExactlyAsync(stream, version, cancellationToken).ConfigureAwait(false))
            return null;
        return (version[0], version[1]) switch
        {
            (3, 1) => "TLS 1.0",
            (3, 2) => "TLS 1.1",
            (3, 0) => "SSL 3.0",
            _ => null,
        };
    }

    private static byte[] Build(string host)
    {
        var extensions = new List<byte>();
        if (!IPAddress.TryParse(host.Trim('[', ']'), out _))
        {
            var name = Encoding.ASCII.GetBytes(host);
            AddExtension(extensions, 0x0000, [.. U16(name.Length + 3), 0, .. U16(name.Length), .. name]);
        }
        AddExtension(extensions, 0x000a, [.. U16(6), .. U16(0x001d), .. U16(0x0017), .. U16(0x0018)]); // supported groups
        AddExtension(extensions, 0x000b, [1, 0]); // ec_point_formats: uncompressed
        AddExtension(extensions, 0xff01, [0]); // renegotiation_info (empty)

        var body = new List<byte> { 3, 2 }; // client_version TLS 1.1 (the highest we offer)
        body.AddRange(RandomNumberGenerator.GetBytes(32));
        body.Add(0); // no session id
        body.AddRange(U16(CipherSuites.Length * 2));
        foreach (var suite in CipherSuites)
            body.AddRange(U16(suite));
        body.AddRange([1, 0]); // compression: null only
        body.AddRange(U16(extensions.Count));
        body.AddRange(extensions);

        var handshake = new List<byte> { 1, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count };
        handshake.AddRange(body);
        return [0x16, 3, 1, .. U16(handshake.Count), .. handshake];
    }

    private static void AddExtension(List<byte> extensions, ushort type, byte[] data)
    {
        extensions.AddRange(U16(type));
        extensions.AddRange(U16(data.Length));
        extensions.AddRange(data);
    }

    private static byte[] U16(int value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return bytes;
    }

    private static async Task<bool> ReadExactlyAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
