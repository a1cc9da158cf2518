using System.Text.Json.Serialization;

namespace Bridge.Emulator.Wire;

public sealed record ExceptionBody([property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(ExceptionBody))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
