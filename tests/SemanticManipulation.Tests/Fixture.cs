namespace SemanticManipulation.Tests;

/// <summary>Paths of the fixtures the tests ship (copied next to the test assembly).</summary>
internal static class Fixture
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string ProGan(string file) => Path.Combine(Root, "progan", file);

    /// <summary>A fresh temporary directory, deleted when disposed.</summary>
    public static TemporaryDirectory TempDirectory() => new();
}

internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sm-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
