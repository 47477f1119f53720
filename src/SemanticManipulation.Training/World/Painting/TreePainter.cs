using SemanticManipulation.Training.World.Layout;
using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Painting;

/// <summary>Paints a tree or bush: its contact shadow, trunk (and bare branches), and crown.</summary>
internal static class TreePainter
{
    private const byte Label = (byte)SceneLabel.Tree;

    public static void Paint(SampleCanvas canvas, TreePlan t, SceneLight light)
    {
        float crown = t.CrownWidth;
        float shadowX = t.X - (light.SunX * crown * 0.4f);
        float shadowRx = crown * 0.6f, shadowRy = MathF.Max(0.006f, crown * 0.13f);
        canvas.Fill(new EllipseShape(shadowX, t.BaseY + 0.003f, shadowRx, shadowRy),
            new ShadowMaterial(shadowX, t.BaseY + 0.003f, shadowRx, shadowRy, 0.55f * light.Diffuse), SampleCanvas.KeepLabel);

        // Crown texture and outline scale with the crown, so that small far trees and large near ones look alike.
        float clumpScale = Math.Clamp(9f / crown, 20f, 140f);
        float edgeScale = Math.Clamp(11f / crown, 25f, 160f);

        if (t.Kind == TreeKind.Conifer)
        {
            PaintTrunk(canvas, t, light, MathF.Max(0.005f, crown * 0.1f), t.BaseY - (t.Height * 0.2f));
            int tiers = 5 + ((int)t.Noise.X % 4);
            canvas.Fill(new ConiferShape(t.X, t.BaseY - t.Height, t.BaseY - (t.Height * 0.08f), crown * 0.5f, tiers, t.Noise),
                new FoliageMaterial(new Vec2(t.X, t.BaseY - (t.Height * 0.5f)), crown * 0.5f, t.Height * 0.5f,
                    t.Light, t.Dark, t.Accent, t.AccentShare, light, clumpScale * 1.3f, t.Noise), Label);
            return;
        }

        (float cx, float cy, float _, float _) = t.Lobes[0];
        float ry = t.Kind switch
        {
            TreeKind.Poplar => t.Height * 0.45f,
            TreeKind.Bush => t.Height * 0.5f,
            _ => t.Height * 0.36f,
        };

        if (t.Kind != TreeKind.Bush)
        {
            float trunkWidth = MathF.Max(0.006f, crown * (t.Kind == TreeKind.Poplar ? 0.14f : 0.1f));
            float trunkTop = t.BaseY - (t.Height * t.Kind switch { TreeKind.Poplar => 0.25f, TreeKind.Bare => 0.62f, _ => 0.5f });
            PaintTrunk(canvas, t, light, trunkWidth, trunkTop);
            if (t.Kind == TreeKind.Bare)
            {
                PaintBranches(canvas, t, light, trunkWidth, trunkTop);
            }
        }

        bool bare = t.Kind == TreeKind.Bare;
        var shape = new BlobShape(t.Lobes, t.Kind == TreeKind.Bush ? 0.25f : 0.35f, edgeScale, t.Noise,
            holeThreshold: bare ? 0.12f : 1f, holeScale: clumpScale * 2.5f);
        canvas.Fill(shape, new FoliageMaterial(new Vec2(cx, cy), crown * 0.5f, ry, t.Light, t.Dark, t.Accent, t.AccentShare,
            light, clumpScale, t.Noise), Label);
    }

    private static void PaintTrunk(SampleCanvas canvas, TreePlan t, SceneLight light, float width, float top)
    {
        float half = width * 0.5f;
        canvas.Fill(new ConvexPolygon(new Vec2(t.X - half, t.BaseY), new Vec2(t.X + half, t.BaseY),
                new Vec2(t.X + (half * 0.6f), top), new Vec2(t.X - (half * 0.6f), top)),
            new BarkMaterial(t.Bark, t.X, half, light), Label);
    }

    /// <summary>Limbs from the top of the trunk to each crown lobe; they show through the gaps of a bare crown.</summary>
    private static void PaintBranches(SampleCanvas canvas, TreePlan t, SceneLight light, float trunkWidth, float trunkTop)
    {
        var from = new Vec2(t.X, trunkTop + (t.Height * 0.05f));
        for (int i = 1; i < t.Lobes.Length; i++)
        {
            var to = new Vec2(t.Lobes[i].X, t.Lobes[i].Y);
            Vec2 d = to - from;
            float length = MathF.Sqrt((d.X * d.X) + (d.Y * d.Y));
            if (length < 1e-4f)
            {
                continue;
            }

            var across = new Vec2(-d.Y / length, d.X / length);
            float w0 = trunkWidth * 0.3f, w1 = trunkWidth * 0.1f;
            canvas.Fill(new ConvexPolygon(from - (across * w0), from + (across * w0), to + (across * w1), to - (across * w1)),
                new BarkMaterial(t.Bark, t.X, trunkWidth, light), Label);
        }
    }
}
