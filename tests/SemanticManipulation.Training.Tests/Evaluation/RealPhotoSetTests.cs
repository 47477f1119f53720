using SemanticManipulation.Tests;
using SemanticManipulation.Training.Evaluation;

namespace SemanticManipulation.Training.Tests.Evaluation;

public sealed class RealPhotoSetTests
{
    private const string Header = "file\tpackage\tversion\tpath_in_package\tlicence\tcopyright\tauthor\tsha256";

    [Fact]
    public void The_manifest_gives_each_photo_its_path_source_and_licence_in_order()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "b.jpg"), "x");
        File.WriteAllText(Path.Combine(directory.Path, "a.jpg"), "x");
        File.WriteAllLines(Path.Combine(directory.Path, RealPhotoSet.ManifestFileName),
        [
            Header,
            "b.jpg\tpkg-one\t1.0\tusr/share/b.jpg\tCC-BY-4.0\tAnne, 2018\tAnne\t00",
            "a.jpg\tpkg-two\t2:3-1\tusr/share/a.jpg\tGPL-2+\t2008, Bob <b@example.org>\tBob\t11",
        ]);

        var set = RealPhotoSet.Load(directory.Path);

        Assert.Equal(
            [
                new RealPhoto(Path.Combine(directory.Path, "b.jpg"), "pkg-one", "1.0", "usr/share/b.jpg", "CC-BY-4.0", "Anne"),
                new RealPhoto(Path.Combine(directory.Path, "a.jpg"), "pkg-two", "2:3-1", "usr/share/a.jpg", "GPL-2+", "Bob"),
            ],
            set.Photos);
    }

    [Fact]
    public void A_folder_without_photos_says_in_one_line_how_to_fetch_them()
    {
        using var directory = new TemporaryDirectory();

        var error = Assert.Throws<FileNotFoundException>(() => RealPhotoSet.Load(directory.Path));

        Assert.Contains("tools/real-photos/fetch.sh", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_failing_fetch_script_is_reported_by_its_last_error_line()
    {
        using var directory = new TemporaryDirectory();
        var script = Path.Combine(directory.Path, "fetch.sh");
        File.WriteAllText(script, "echo working >&2\necho 'fetch.sh: apt-get is not available' >&2\nexit 1\n");

        var error = Assert.Throws<InvalidOperationException>(() => RealPhotoSet.LoadOrFetch(Path.Combine(directory.Path, "photos"), script));

        Assert.Equal("Fetching the real photos failed: fetch.sh: apt-get is not available", error.Message);
    }
}
