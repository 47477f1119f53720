using SemanticManipulation.Imaging;
using SemanticManipulation.Tests.DefaultModel;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace SemanticManipulation.Tests.Imaging;

/// <summary>A photo cut short is refused, naming the file, instead of being edited with a flat grey part; limits on
/// size, bytes and frames hold before ImageSharp decodes anything.</summary>
public sealed class ImageCompletenessTests : IDisposable
{
    private readonly TemporaryDirectory _directory = Fixture.TempDirectory();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void A_jpeg_cut_short_is_refused_naming_the_file(double kept)
    {
        var whole = File.ReadAllBytes(DefaultModelFixture.SamplePhoto("church.jpg"));
        var path = _directory.File("cut.jpg");
        File.WriteAllBytes(path, whole[..(int)(whole.Length * kept)]);

        var error = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("is truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_png_cut_short_is_refused_naming_the_file()
    {
        var source = _directory.File("whole.png");
        using (var image = new Image<Rgb24>(96, 80))
        {
            image.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var row = rows.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                    {
                        row[x] = new Rgb24((byte)(x * 7 + y), (byte)(y * 3), (byte)(x ^ y));
                    }
                }
            });
            image.SaveAsPng(source);
        }

        var whole = File.ReadAllBytes(source);
        var path = _directory.File("cut.png");
        File.WriteAllBytes(path, whole[..(whole.Length - 20)]);

        var error = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));

        Assert.Contains("cut.png' is truncated", error.Message, StringComparison.Ordinal);
        using var loaded = ImageTensor.Load(source, 64);   // the whole file still loads
    }

    [Fact]
    public void Data_after_a_jpegs_end_marker_does_not_make_it_incomplete()
    {
        // Phones append trailers (motion-photo video, maker data) after the image's end-of-image marker.
        var whole = File.ReadAllBytes(DefaultModelFixture.SamplePhoto("church.jpg"));
        var path = _directory.File("with-trailer.jpg");
        File.WriteAllBytes(path, [.. whole, .. new byte[100_000].Select((_, i) => (byte)(i * 31))]);

        using var withTrailer = ImageTensor.Load(path, 64);
        using var plain = ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), 64);

        Assert.True(withTrailer.Tensor.equal(plain.Tensor).all().item<bool>());
    }

    [Fact]
    public void A_file_over_the_byte_limit_is_refused_before_decoding()
    {
        var options = new ImageLoadOptions { MaxBytes = 10_000 };

        var error = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), 64, options));

        Assert.Contains("more than the limit of 10000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_without_a_length_is_read_no_further_than_the_byte_limit()
    {
        using var endless = new EndlessStream();
        var options = new ImageLoadOptions { MaxBytes = 1 << 20 };

        var error = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(endless, 64, options));

        Assert.Contains("more than the limit of 1048576 bytes", error.Message, StringComparison.Ordinal);
        Assert.True(endless.Served < 2 << 20, $"read {endless.Served} bytes");
    }

    [Fact]
    public void An_animated_webp_with_more_frames_than_the_limit_is_refused_before_its_frames_are_decoded()
    {
        var path = _directory.File("animation.webp");
        File.WriteAllBytes(path, AnimatedWebp(frames: 40, width: 64, height: 64));

        var error = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64, new ImageLoadOptions { MaxFrames = 8 }));

        Assert.Contains("an animation of 40 frames, more than the limit of 8", error.Message, StringComparison.Ordinal);
        var within = Assert.Throws<UnsupportedImageException>(() => ImageTensor.Load(path, 64));   // within the limit: ImageSharp 2.1 cannot read it
        Assert.Contains("cannot be read here", within.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limits_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), 64, new ImageLoadOptions { MaxBytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTensor.Load(DefaultModelFixture.SamplePhoto("church.jpg"), 64, new ImageLoadOptions { MaxFrames = 0 }));
    }

    /// <summary>An animated WebP's container: VP8X (animation flag, canvas size), ANIM, and one ANMF chunk per frame
    /// holding a 1×1 lossless frame.</summary>
    internal static byte[] AnimatedWebp(int frames, int width, int height)
    {
        using var body = new MemoryStream();
        void Chunk(string type, byte[] payload)
        {
            body.Write(System.Text.Encoding.ASCII.GetBytes(type));
            body.Write(BitConverter.GetBytes((uint)payload.Length));
            body.Write(payload);
            if (payload.Length % 2 == 1)
            {
                body.WriteByte(0);
            }
        }

        static byte[] U24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];
        Chunk("VP8X", [0x02, 0, 0, 0, .. U24(width - 1), .. U24(height - 1)]);
        Chunk("ANIM", [0, 0, 0, 0, 0, 0]);
        byte[] frame = [0x2F, 0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0x00];   // VP8L 1×1
        for (var i = 0; i < frames; i++)
        {
            using var anmf = new MemoryStream();
            anmf.Write([.. U24(0), .. U24(0), .. U24(width - 1), .. U24(height - 1), .. U24(100), 0]);
            anmf.Write(System.Text.Encoding.ASCII.GetBytes("VP8L"));
            anmf.Write(BitConverter.GetBytes((uint)frame.Length));
            anmf.Write(frame);
            Chunk("ANMF", anmf.ToArray());
        }

        var content = body.ToArray();
        return [.. "RIFF"u8, .. BitConverter.GetBytes((uint)(content.Length + 4)), .. "WEBP"u8, .. content];
    }

    private sealed class EndlessStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => Served; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill(0x89);
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
