"""What every SYNTHETIC reference-data generator shares (programmes/<name>/synthetic.py): the seed, the
pools of fake Chinese names, byte-stable CSV writing and the command line. Every value these make up is
invented; generators label their data SYNTHETIC in a description file written beside it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

DEFAULT_SEED = 20230519  # the publication month of the calibration figures (May 2023)

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱"
)
GIVEN_CHARS = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅海波宁鹏辉文斌春燕立新凤俊"
    "峰林云莉丹亮成德晓健永刚翠萍学飞佳琳庆东宏玲福生浩宇欣然子涵雪梦凯"
)


def reference_cli(argv, *, prog: str, description: str, writer) -> int:
    """The command line shared by the reference-data generators: --out folder, --seed."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--out", required=True, help="output folder, e.g. data/reference")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in writer(args.out, seed=args.seed).values():
        print(f"wrote {path}")
    return 0


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Byte-stable CSV: UTF-8 without BOM, "\n" line ends, no index."""
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_reference_files(
    out_dir, tables: dict[str, pd.DataFrame], md_name: str, md_text: str
) -> dict[str, Path]:
    """Write each table as ``<name>.csv`` (``write_csv``) and the data's description as ``md_name``
    (UTF-8, "\n" line ends) into ``out_dir``; the paths by table name, the description's as
    ``synthetic_md``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: out_dir / f"{name}.csv" for name in tables}
    for name, frame in tables.items():
        write_csv(frame, paths[name])
    paths["synthetic_md"] = out_dir / md_name
    with paths["synthetic_md"].open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(md_text)
    return paths
