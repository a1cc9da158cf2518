namespace Bridge.Bedrock;

/// <summary>One event received on a stream: the UTF-8 bytes inside its <c>{"bytes":"…"}</c> payload part.</summary>
public readonly record struct BedrockChunk(ReadOnlyMemory<byte> Payload);
