using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Bridge.Tests.Support;

/// <summary>
/// A WebSocket client written by hand on a TCP connection (RFC 6455), for what .NET's client will not do: send a
/// flood of pings. The upgrade carries Twilio's signature; frames are masked, as a client's must be.
/// </summary>
public sealed class RawWebSocketConnection : IAsyncDisposable
{
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;
    public const byte Text = 0x1;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocketConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects and upgrades; throws unless the server answers 101.</summary>
    public static async Task<RawWebSocketConnection> OpenAsync(Uri mediaUrl, string signature, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(mediaUrl.Host, mediaUrl.Port, cancellationToken);
        var connection = new RawWebSocketConnection(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {mediaUrl.PathAndQuery} HTTP/1.1\r\nHost: {mediaUrl.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nx-twilio-signature: {signature}\r\n\r\n";
        await connection._stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        var response = await connection.ReadHeadersAsync(cancellationToken);
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException("The upgrade was not accepted: " + response.Split("\r\n")[0]);
        }
        return connection;
    }

    /// <summary>Sends one masked frame; false once the server has closed or reset the connection.</summary>
    public async Task<bool> TrySendAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length > 125)
        {
            throw new ArgumentException("Short frames only.", nameof(payload));
        }
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);
        RandomNumberGenerator.Fill(frame.AsSpan(2, 4));
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload.Span[i] ^ frame[2 + (i % 4)]);
        }
        try
        {
            await _stream.WriteAsync(frame, cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Writes bytes as they are (frames the caller built); false once the server has closed or reset the connection.</summary>
    public async Task<bool> TrySendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads frames until the connection ends (closed, reset or aborted); returns how many of each opcode arrived.</summary>
    public async Task<IReadOnlyDictionary<byte, int>> ReadUntilEndAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<byte, int>();
        var header = new byte[2];
        try
        {
            while (await ReadExactlyAsync(header, cancellationToken))
            {
                var opcode = (byte)(header[0] & 0x0F);
                long length = header[1] & 0x7F;
                if (length >= 126)
                {
                    var extended = new byte[length == 126 ? 2 : 8];
                    if (!await ReadExactlyAsync(extended, cancellationToken))
                    {
                        break;
                    }
                    length = 0;
                    foreach (var b in extended)
                    {
                        length = (length << 8) | b;
                    }
                }
                if (length > 0 && !await ReadExactlyAsync(new byte[length], cancellationToken))
                {
                    break;
                }
                counts[opcode] = counts.GetValueOrDefault(opcode) + 1;
            }
        }
        catch (IOException)
        {
            // Reset or aborted: the end.
        }
        return counts;
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }

    private async Task<string> ReadHeadersAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one, cancellationToken) == 0)
            {
                break;
            }
            text.Append((char)one[0]);
        }
        return text.ToString();
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
