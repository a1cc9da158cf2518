using System.Buffers;

namespace Bridge.Bedrock;

/// <summary>
/// One event received on a stream: the UTF-8 bytes inside its <c>{"bytes":"…"}</c> payload part. The decoder puts them
/// in an array from the shared pool, which the one reader of the chunk gives back with <see cref="Release"/> once it has
/// read them (25 events a second per call: 28 KB per call-second not allocated). A chunk never released (dropped with
/// a failed stream) is simply collected.
/// </summary>
public readonly struct BedrockChunk
{
    private readonly byte[]? _pooled;

    /// <summary>A chunk over bytes the caller owns: <see cref="Release"/> leaves them alone.</summary>
    public BedrockChunk(ReadOnlyMemory<byte> payload) => Payload = payload;

    private BedrockChunk(byte[] pooled, int length)
    {
        _pooled = pooled;
        Payload = pooled.AsMemory(0, length);
    }

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>A chunk over the first <paramref name="length"/> bytes of an array rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    internal static BedrockChunk Pooled(byte[] pooled, int length) => new(pooled, length);

    /// <summary>Gives a pooled payload back to the pool: only its reader, once, after which <see cref="Payload"/> must not be read.</summary>
    public void Release()
    {
        if (_pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(_pooled);
        }
    }
}
