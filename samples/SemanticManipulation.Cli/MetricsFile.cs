using System.Text.Json;
using System.Text.Json.Serialization;

namespace SemanticManipulation.Cli;

/// <summary>Writes a verb's metrics as snake_case JSON, atomically (a temporary file renamed over the target).</summary>
internal static class MetricsFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(string path, T metrics)
    {
        var full = CommonOptions.PrepareOutput(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, JsonSerializer.Serialize(metrics, Options));
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
