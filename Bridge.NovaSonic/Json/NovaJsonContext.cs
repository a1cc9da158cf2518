using System.Text.Json.Serialization;

namespace Bridge.NovaSonic.Json;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NovaInputEnvelope))]
[JsonSerializable(typeof(NovaOutputEnvelope))]
[JsonSerializable(typeof(GenerationStageFields))]
internal sealed partial class NovaJsonContext : JsonSerializerContext;
