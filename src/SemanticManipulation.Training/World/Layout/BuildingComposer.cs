using SemanticManipulation.Training.World.Rendering;

namespace SemanticManipulation.Training.World.Layout;

/// <summary>Composes the buildings: one main building in the foreground and up to two smaller ones behind it.</summary>
internal static class BuildingComposer
{
    /// <summary>Buildings are kept below this margin from the top of the image (scaled down if necessary).</summary>
    private const float TopMargin = 0.03f;

    public static IReadOnlyList<BuildingPlan> Compose(SceneRandom rng, float horizon, TimeOfDay time, SceneWorldOptions options)
    {
        int count = Math.Min(options.MaxBuildings, rng.Pick([0.06f, 0.5f, 0.31f, 0.13f]));
        var buildings = new List<BuildingPlan>(count);
        if (count == 0)
        {
            return buildings;
        }

        BuildingKind mainKind = rng.Chance(options.DomeChance)
            ? (rng.Chance(0.72f) ? BuildingKind.DomedChurch : BuildingKind.Rotunda)
            : rng.Pick([0.55f, 0.25f, 0.2f]) switch { 0 => BuildingKind.Church, 1 => BuildingKind.Chapel, _ => BuildingKind.House };
        float mainBase = MathF.Min(horizon + rng.Range(0.11f, 0.28f), 0.95f);
        float mainX = rng.Pick([0.3f, 0.4f, 0.3f]) switch
        {
            0 => rng.Range(0.24f, 0.36f),
            1 => rng.Range(0.42f, 0.58f),
            _ => rng.Range(0.64f, 0.76f),
        };
        float mainScale = Math.Clamp(0.65f + (2.2f * (mainBase - horizon)), 0.9f, 1.3f);
        BuildingPlan main = Build(rng, mainKind, mainX, mainBase, mainScale, time, options);
        KeepInside(main, 0.03f);
        buildings.Add(main);

        for (int i = 1; i < count; i++)
        {
            BuildingKind kind = rng.Pick([0.45f, 0.3f, 0.12f, 0.13f]) switch
            {
                0 => BuildingKind.House,
                1 => BuildingKind.Chapel,
                2 => BuildingKind.Church,
                _ => BuildingKind.DomedChurch,
            };
            float farthest = horizon + 0.03f;
            float baseY = rng.Range(farthest, MathF.Max(farthest, main.BaseY - 0.015f));
            float scale = rng.Range(0.5f, 0.75f) * Math.Clamp(0.6f + (2.2f * (baseY - horizon)), 0.7f, 1.1f);

            // Prefer a spot clear of the buildings already placed; after a few tries accept partial overlap (behind).
            float x = rng.Range(0.05f, 0.95f);
            for (int attempt = 0; attempt < 8 && Crowded(x, buildings); attempt++)
            {
                x = rng.Range(0.05f, 0.95f);
            }

            BuildingPlan b = Build(rng, kind, x, baseY, scale, time, options);
            KeepInside(b, -0.1f);
            buildings.Add(b);
        }

        return buildings;
    }

    private static bool Crowded(float x, List<BuildingPlan> buildings)
    {
        foreach (BuildingPlan b in buildings)
        {
            if (MathF.Abs(x - (b.X + (b.Side * b.SideWidth * 0.5f))) < (b.Width + b.SideWidth) * 0.55f)
            {
                return true;
            }
        }

        return false;
    }

    private static BuildingPlan Build(SceneRandom rng, BuildingKind kind, float x, float baseY, float scale, TimeOfDay time, SceneWorldOptions options)
    {
        MasonryPlan masonry = ComposeMasonry(rng, rng.Chance(kind == BuildingKind.House ? MathF.Min(1f, options.BrickChance + 0.1f) : options.BrickChance));
        Rgb roofColor = rng.Vary(Palettes.Roofs[rng.Between(0, Palettes.Roofs.Length - 1)], 0.05f, 0.1f);
        float w, h, roofH, sideW;
        int side;
        RoofStyle roof;
        DomePlan? dome = null;
        TowerPlan? tower = null, second = null;
        switch (kind)
        {
            case BuildingKind.Church:
                w = rng.Range(0.26f, 0.4f) * scale;
                h = w * rng.Range(0.75f, 1.05f);
                roof = RoofStyle.Gable;
                roofH = w * rng.Range(0.38f, 0.6f);
                side = (int)rng.Sign();
                sideW = w * rng.Range(0.7f, 1.5f);
                if (rng.Chance(0.85f))
                {
                    var placement = rng.Chance(0.35f) ? TowerPlacement.Center
                        : (side > 0) == rng.Chance(0.75f) ? TowerPlacement.Left : TowerPlacement.Right;
                    float tw = w * (placement == TowerPlacement.Center ? rng.Range(0.34f, 0.45f) : rng.Range(0.38f, 0.5f));
                    float shaft = h + (roofH * rng.Range(0.6f, 1.1f)) + (rng.Range(0.03f, 0.11f) * scale);
                    tower = ComposeTower(rng, placement, tw, shaft, rng.Pick([0.5f, 0.13f, 0.15f, 0.14f, 0.08f]));
                }

                break;

            case BuildingKind.DomedChurch:
                w = rng.Range(0.36f, 0.54f) * scale;
                h = w * rng.Range(0.45f, 0.7f);
                roof = rng.Chance(0.45f) ? RoofStyle.Gable : RoofStyle.Flat;
                roofH = roof == RoofStyle.Gable ? w * rng.Range(0.28f, 0.42f) : 0f;
                side = rng.Chance(0.7f) ? (int)rng.Sign() : 0;
                sideW = side == 0 ? 0f : w * rng.Range(0.4f, 0.9f);
                dome = ComposeDome(rng, w * rng.Range(0.22f, 0.34f), rng.Chance(0.22f));
                if (roof == RoofStyle.Flat && rng.Chance(0.35f))
                {
                    float tw = w * rng.Range(0.2f, 0.26f);
                    float shaft = h + (rng.Range(0.04f, 0.1f) * scale);
                    ReadOnlySpan<float> tops = [0.2f, 0.2f, 0.25f, 0.35f, 0f];
                    int top = rng.Pick(tops);
                    tower = ComposeTower(rng, TowerPlacement.Left, tw, shaft, top);
                    second = ComposeTower(rng, TowerPlacement.Right, tw, shaft, top);
                }

                break;

            case BuildingKind.Chapel:
                w = rng.Range(0.2f, 0.32f) * scale;
                h = w * rng.Range(0.7f, 1f);
                roof = RoofStyle.Gable;
                roofH = w * rng.Range(0.45f, 0.7f);
                side = rng.Chance(0.75f) ? (int)rng.Sign() : 0;
                sideW = side == 0 ? 0f : w * rng.Range(0.5f, 1.1f);
                if (rng.Chance(0.45f))
                {
                    float tw = w * rng.Range(0.26f, 0.34f);
                    float shaft = h + (roofH * rng.Range(0.7f, 1.05f)) + (rng.Range(0.02f, 0.06f) * scale);
                    tower = ComposeTower(rng, TowerPlacement.Center, tw, shaft, rng.Pick([0.5f, 0.25f, 0.25f, 0f, 0f]));
                }

                break;

            case BuildingKind.House:
                w = rng.Range(0.32f, 0.5f) * scale;
                h = w * rng.Range(0.38f, 0.55f);
                roof = RoofStyle.Hipped;
                roofH = w * rng.Range(0.16f, 0.28f);
                side = rng.Chance(0.8f) ? (int)rng.Sign() : 0;
                sideW = side == 0 ? 0f : w * rng.Range(0.25f, 0.5f);
                break;

            default:
                w = rng.Range(0.3f, 0.44f) * scale;
                h = w * rng.Range(0.45f, 0.7f);
                roof = RoofStyle.Flat;
                roofH = 0f;
                side = 0;
                sideW = 0f;
                dome = ComposeDome(rng, w * 0.5f * rng.Range(0.9f, 1f), onion: false);
                dome.DrumHeight = 0f;
                break;
        }

        DoorPlan? door = rng.Chance(kind is BuildingKind.House or BuildingKind.Rotunda ? 0.9f : 0.95f)
            ? ComposeDoor(rng, kind, x, w, h, tower)
            : null;
        bool churchLike = kind != BuildingKind.House;
        bool lit = rng.Chance(time == TimeOfDay.Dusk ? 0.5f : 0.04f);
        var windows = new WindowPlan
        {
            Arched = rng.Chance(churchLike ? 0.85f : 0.15f),
            Lit = lit,
            Glass = lit ? rng.Vary(new Rgb(1f, 0.78f, 0.42f), 0.05f, 0.08f) : rng.Vary(new Rgb(0.07f, 0.09f, 0.13f), 0.15f, 0.25f),
            Rose = roof == RoofStyle.Gable && rng.Chance(0.5f),
            SideCount = churchLike ? rng.Between(2, 5) : rng.Between(1, 3),
        };

        var plan = new BuildingPlan
        {
            Kind = kind,
            X = x,
            BaseY = baseY,
            Width = w,
            WallHeight = h,
            RoofHeight = roofH,
            Side = side,
            SideWidth = sideW,
            VanishDistance = MathF.Max(rng.Range(1.2f, 2.6f), (w * 0.5f) + (sideW * 1.8f) + 0.25f),
            Masonry = masonry,
            Roof = roof,
            RoofColor = roofColor,
            RoofRowHeight = rng.Range(0.012f, 0.02f),
            RoofSalt = rng.NextSalt(),
            Dome = dome,
            Tower = tower,
            SecondTower = second,
            Door = door,
            Windows = windows,
            Chimney = kind == BuildingKind.House && rng.Chance(0.6f),
        };

        float height = HeightOf(plan);
        float room = baseY - TopMargin;
        if (height > room)
        {
            plan.Scale(room / height);
        }

        return plan;
    }

    /// <summary>Shifts the building horizontally so its front face lies within [margin, 1 - margin].</summary>
    private static void KeepInside(BuildingPlan b, float margin)
    {
        float half = b.Width * 0.5f;
        float min = margin + half, max = 1f - margin - half;
        float x = min > max ? 0.5f : Math.Clamp(b.X, min, max);
        float dx = x - b.X;
        b.X = x;
        if (b.Door is not null)
        {
            b.Door.CenterX += dx;
        }
    }

    /// <summary>How far the building's highest point (dome lantern, spire tip, ridge) rises above its base.</summary>
    internal static float HeightOf(BuildingPlan b)
    {
        float walls = b.WallHeight + (b.Roof == RoofStyle.Flat ? 0.012f : b.RoofHeight);
        float top = walls;
        if (b.Dome is { } d)
        {
            top = MathF.Max(top, DomeBase(b) + d.DrumHeight + d.Height + (d.Lantern ? d.Radius * 0.5f : d.Radius * 0.15f));
        }

        foreach (TowerPlan? t in (ReadOnlySpan<TowerPlan?>)[b.Tower, b.SecondTower])
        {
            if (t is not null)
            {
                top = MathF.Max(top, t.ShaftHeight + t.TopHeight + (t.Width * 0.15f));
            }
        }

        return top;
    }

    /// <summary>Height above the building's base where its dome's drum starts.</summary>
    internal static float DomeBase(BuildingPlan b) => b.Roof switch
    {
        RoofStyle.Gable => b.WallHeight + (b.RoofHeight * 0.8f),
        RoofStyle.Hipped => b.WallHeight + (b.RoofHeight * 0.7f),
        _ => b.WallHeight + 0.01f,
    };

    private static MasonryPlan ComposeMasonry(SceneRandom rng, bool brick)
    {
        if (brick)
        {
            float course = rng.Range(0.022f, 0.03f);
            return new MasonryPlan
            {
                Kind = Masonry.Brick,
                Color = rng.Vary(Palettes.Bricks[rng.Between(0, Palettes.Bricks.Length - 1)], 0.05f, 0.08f),
                Joint = rng.Vary(Palettes.Mortars[rng.Between(0, Palettes.Mortars.Length - 1)], 0.02f, 0.05f),
                CourseHeight = course,
                UnitLength = course * rng.Range(2.2f, 2.8f),
                Salt = rng.NextSalt(),
            };
        }

        Rgb stone = rng.Vary(Palettes.Stones[rng.Between(0, Palettes.Stones.Length - 1)], 0.03f, 0.07f);
        float height = rng.Range(0.03f, 0.05f);
        return new MasonryPlan
        {
            Kind = Masonry.Stone,
            Color = stone,
            Joint = stone * 0.74f,
            CourseHeight = height,
            UnitLength = height * rng.Range(1.4f, 2.4f),
            Salt = rng.NextSalt(),
        };
    }

    private static DomePlan ComposeDome(SceneRandom rng, float radius, bool onion)
    {
        var (color, metallic) = onion
            ? Palettes.Onions[rng.Between(0, Palettes.Onions.Length - 1)]
            : Palettes.Domes[rng.Between(0, Palettes.Domes.Length - 1)];
        return new DomePlan
        {
            Profile = onion ? DomeProfile.Onion : DomeProfile.Hemisphere,
            Color = rng.Vary(color, 0.04f, 0.08f),
            Metallic = metallic,
            Ribs = rng.Chance(0.5f) ? rng.Between(8, 14) : 0,
            Radius = radius,
            Height = radius * (onion ? rng.Range(1.9f, 2.4f) : rng.Range(0.85f, 1.25f)),
            DrumHeight = radius * (onion ? rng.Range(0.2f, 0.6f) : rng.Range(0.3f, 0.9f)),
            Lantern = !onion && rng.Chance(0.7f),
        };
    }

    /// <summary>A tower; <paramref name="top"/> indexes <see cref="TowerTop"/>.</summary>
    private static TowerPlan ComposeTower(SceneRandom rng, TowerPlacement placement, float width, float shaft, int top)
    {
        var kind = (TowerTop)top;
        DomePlan? dome = kind switch
        {
            TowerTop.Onion => ComposeDome(rng, width * 0.55f, onion: true),
            TowerTop.Dome => ComposeDome(rng, width * 0.5f, onion: false),
            _ => null,
        };
        float topHeight = kind switch
        {
            TowerTop.Spire => width * rng.Range(1.5f, 2.8f),
            TowerTop.Pyramid => width * rng.Range(0.45f, 0.8f),
            TowerTop.Battlement => width * 0.18f,
            _ => dome!.Height + (dome.Lantern ? dome.Radius * 0.5f : dome.Radius * 0.15f),
        };
        return new TowerPlan
        {
            Placement = placement,
            Width = width,
            ShaftHeight = shaft,
            Top = kind,
            TopHeight = topHeight,
            Dome = dome,
            BelfryOpenings = rng.Between(1, 2),
        };
    }

    private static DoorPlan ComposeDoor(SceneRandom rng, BuildingKind kind, float x, float w, float h, TowerPlan? tower)
    {
        Rgb color = rng.Chance(0.85f)
            ? rng.Vary(Palettes.Woods[rng.Between(0, Palettes.Woods.Length - 1)], 0.06f, 0.12f)
            : rng.Vary(Palettes.PaintedDoors[rng.Between(0, Palettes.PaintedDoors.Length - 1)], 0.06f, 0.1f);
        float width, height, offset = 0f;
        bool arched;
        if (kind == BuildingKind.House)
        {
            width = MathF.Max(w * rng.Range(0.1f, 0.14f), 0.035f);
            height = MathF.Min(h * 0.75f, width * rng.Range(1.7f, 2.1f));
            arched = rng.Chance(0.2f);
            offset = w * rng.Range(-0.3f, 0.3f);
        }
        else
        {
            float limit = tower?.Placement == TowerPlacement.Center ? tower.Width * 0.6f : w * 0.4f;
            width = MathF.Min(MathF.Max(w * rng.Range(0.18f, 0.26f), 0.042f), limit);
            height = MathF.Min(h * (kind == BuildingKind.Rotunda ? 0.75f : rng.Range(0.5f, 0.7f)), width * rng.Range(1.6f, 2.2f));
            arched = rng.Chance(0.8f);
        }

        return new DoorPlan
        {
            CenterX = x + offset,
            Width = width,
            Height = height,
            Arched = arched,
            Color = color,
            Planks = rng.Between(3, 5),
        };
    }
}
