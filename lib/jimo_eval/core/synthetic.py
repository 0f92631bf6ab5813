"""What every SYNTHETIC reference-data generator shares (programmes/<name>/synthetic.py): the seed, the
pools of fake Chinese names, byte-stable CSV writing and the command line. Every value these make up is
invented; generators label their data SYNTHETIC in a description file written beside it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

DEFAULT_SEED = 20230519  # the publication month of the calibration figures (May 2023)
# District offices in English, as a ledger kept for English reports would name them (the hall-duty units'
# unit_en, the supervision departments' department_en).
OFFICES_EN = {
    "区发展和改革局": "District Development and Reform Bureau",
    "区教育和体育局": "District Education and Sports Bureau",
    "区工业和信息化局": "District Industry and Information Technology Bureau",
    "区公安分局": "District Public Security Sub-bureau",
    "区民政局": "District Civil Affairs Bureau",
    "区司法局": "District Justice Bureau",
    "区财政局": "District Finance Bureau",
    "区人社局": "District Human Resources and Social Security Bureau",
    "区人力资源和社会保障局": "District Human Resources and Social Security Bureau",
    "区自然资源局": "District Natural Resources Bureau",
    "区生态环境分局": "District Ecology and Environment Sub-bureau",
    "区住建局": "District Housing and Urban-Rural Development Bureau",
    "区住房和城乡建设局": "District Housing and Urban-Rural Development Bureau",
    "区交通运输局": "District Transport Bureau",
    "区水务局": "District Water Affairs Bureau",
    "区农业农村局": "District Agriculture and Rural Affairs Bureau",
    "区商务局": "District Commerce Bureau",
    "区文化和旅游局": "District Culture and Tourism Bureau",
    "区卫生健康局": "District Health Bureau",
    "区退役军人事务局": "District Veterans Affairs Bureau",
    "区应急管理局": "District Emergency Management Bureau",
    "区市场监管局": "District Market Regulation Bureau",
    "区市场监督管理局": "District Market Regulation Bureau",
    "区医疗保障局": "District Healthcare Security Bureau",
    "区综合行政执法局": "District Comprehensive Law Enforcement Bureau",
    "区城市管理局": "District Urban Management Bureau",
    "区税务局": "District Taxation Bureau",
    "区住房公积金管理中心": "District Housing Provident Fund Centre",
    "区不动产登记中心": "District Real Estate Registration Centre",
    "区消防救援大队": "District Fire and Rescue Brigade",
    "区残联": "District Disabled Persons' Federation",
    "区气象局": "District Meteorological Bureau",
    "区社会保险事业中心": "District Social Insurance Centre",
    "区行政审批服务局": "District Administrative Approval Services Bureau",
    "供电中心": "Power Supply Centre",
}

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
