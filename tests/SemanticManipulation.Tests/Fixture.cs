namespace SemanticManipulation.Tests;

/// <summary>Paths of the fixtures the tests ship (copied next to the test assembly).</summary>
internal static class Fixture
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string ProGan(string file) => Path.Combine(Root, "progan", file);

    /// <summary>A fresh temporary directory, deleted when disposed.</summary>
    public static TemporaryDirectory TempDirectory() => new();
}
