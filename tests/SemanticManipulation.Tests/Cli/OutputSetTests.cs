using SemanticManipulation.Cli;
using Xunit;

namespace SemanticManipulation.Tests.Cli;

public sealed class OutputSetTests : IDisposable
{
    private readonly TemporaryDirectory _directory = Fixture.TempDirectory();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Outputs_appear_together_only_when_every_one_was_written()
    {
        var image = _directory.File("result.png");
        var metrics = _directory.File("result.json");
        using (var outputs = new OutputSet())
        {
            var first = outputs.Image("--out", new FileInfo(image));
            var second = outputs.Data("--metrics", new FileInfo(metrics));
            outputs.Write(first, path => File.WriteAllText(path, "image"));
            outputs.Write(second, path => throw new IOException($"disk full while writing {path}"));

            var error = Assert.Throws<IOException>(() => outputs.Commit(CancellationToken.None));

            Assert.StartsWith($"Cannot write --metrics {metrics}: disk full while writing {metrics}", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(image));   // written to staging, never put in place
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));   // and the staging folder is gone
    }

    [Fact]
    public void A_cancelled_command_leaves_none_of_its_outputs_and_an_old_file_untouched()
    {
        var image = _directory.File("result.png");
        File.WriteAllText(image, "yesterday's result");
        using var cancellation = new CancellationTokenSource();
        using (var outputs = new OutputSet())
        {
            var target = outputs.Image("--out", new FileInfo(image));
            outputs.Write(target, path =>
            {
                File.WriteAllText(path, "today's result");
                cancellation.Cancel();   // Ctrl+C while the outputs are being written
            });

            Assert.Throws<OperationCanceledException>(() => outputs.Commit(cancellation.Token));
        }

        Assert.Equal("yesterday's result", File.ReadAllText(image));
        Assert.Equal([image], Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void A_committed_set_replaces_old_files_and_fills_a_picture_folder()
    {
        var image = _directory.File("result.png");
        File.WriteAllText(image, "old");
        var pictures = Path.Combine(_directory.Path, "pictures");
        using (var outputs = new OutputSet())
        {
            var target = outputs.Image("--out", new FileInfo(image));
            var staging = outputs.Folder("--pictures", new DirectoryInfo(pictures));
            File.WriteAllText(Path.Combine(staging, "sheet.png"), "sheet");
            Assert.False(Directory.Exists(pictures));   // pictures written during the run wait in staging
            outputs.Write(target, path => File.WriteAllText(path, "new"));

            outputs.Commit(CancellationToken.None);
        }

        Assert.Equal("new", File.ReadAllText(image));
        Assert.Equal("sheet", File.ReadAllText(Path.Combine(pictures, "sheet.png")));
        Assert.Equal(new[] { image, pictures }.Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(_directory.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_output_that_cannot_be_put_in_place_leaves_every_old_file_as_it_was()
    {
        var image = _directory.File("result.png");
        var metrics = _directory.File("result.json");
        File.WriteAllText(image, "yesterday's image");
        using (var outputs = new OutputSet())
        {
            var first = outputs.Image("--out", new FileInfo(image));
            var second = outputs.Data("--metrics", new FileInfo(metrics));
            outputs.Write(first, path => File.WriteAllText(path, "new image"));
            outputs.Write(second, path => File.WriteAllText(path, "new metrics"));
            Directory.CreateDirectory(Path.Combine(metrics, "in-the-way"));   // appears after the check, before the move

            var error = Assert.Throws<IOException>(() => outputs.Commit(CancellationToken.None));

            Assert.StartsWith("Cannot put the outputs in place:", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal("yesterday's image", File.ReadAllText(image));   // replaced, then put back
        Assert.Equal(new[] { image, metrics }.Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(_directory.Path).Order(StringComparer.Ordinal));
    }
}
