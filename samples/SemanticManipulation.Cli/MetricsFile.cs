using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemanticManipulation.Cli;

/// <summary>A verb's metrics as snake_case JSON (written through <see cref="OutputSet"/>, which makes it atomic with
/// the verb's other outputs).</summary>
internal static class MetricsFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(string path, T metrics) => File.WriteAllText(path, JsonSerializer.Serialize(metrics, Options));
}
