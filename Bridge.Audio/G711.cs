namespace Bridge.Audio;

/// <summary>Placeholder: G.711 µ-law arrives with the audio issue.</summary>
internal static class G711;
