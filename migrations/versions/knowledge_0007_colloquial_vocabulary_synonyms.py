"""colloquial vocabulary synonyms: everyday and trade words → the wording the statutes use

Revision ID: knowledge_0007
Revises: knowledge_0006
Create Date: 2026-12-02 14:30:00
"""

from collections.abc import Sequence

from migrations.synonyms import add_synonyms, remove_synonyms

revision: str = "knowledge_0007"
down_revision: str | Sequence[str] | None = "knowledge_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written from the statutes' own wording, not from any question set: each canonical wording occurs
# in the action plan or the four national laws, and no term does (a term found in a document
# would be rewritten there too). Left out because the statutes split them: 污水厂 and 污水处理厂
# (the water law says 城镇污水集中处理设施, the sewage regulation 城镇污水处理设施; either
# choice sends questions to one document). Admins edit the dictionary on the synonyms page.
COLLOQUIAL_VOCABULARY = [
    ("臭味", "恶臭气体 异味"),  # bad smell = 恶臭/异味
    ("灰尘", "扬尘 粉尘"),  # dust
    ("雾霾", "重污染天气"),  # haze episodes
    ("pm2.5", "颗粒物"),  # fine particulate
    ("空气污染", "大气污染"),  # air pollution
    ("空气质量", "大气环境质量"),  # air quality
    ("有机废气", "挥发性有机物"),  # organic waste gas = VOCs
    ("烟囱", "排放口"),  # stack = outlet
    ("排气筒", "排放口"),  # stack = outlet
    ("排口", "排放口 排污口"),  # abbrev. outlet
    ("饭店", "餐饮服务"),  # restaurant
    ("餐馆", "餐饮服务"),  # restaurant
    ("烧烤摊", "露天烧烤"),  # outdoor BBQ stall
    ("商住楼", "商住综合楼"),  # mixed-use building
    ("居民楼", "居民住宅楼"),  # residential building
    ("尾气检测", "排放检验"),  # vehicle emission test
    ("尾气超标", "排放大气污染物超过标准"),  # vehicle exceeding
    ("工程机械", "非道路移动机械"),  # non-road machinery
    ("车用尿素", "氮氧化物还原剂"),  # AdBlue = NOx reductant
    ("烧煤", "燃煤"),  # burning coal
    ("煤改气", "改用天然气"),  # coal-to-gas
    ("供暖", "供热"),  # heating
    ("喷漆", "涂装"),  # spray painting
    ("油漆", "涂料"),  # paint
    ("干洗店", "服装干洗"),  # dry cleaner
    ("汽修", "机动车维修"),  # car repair
    ("修车", "机动车维修"),  # car repair
    ("烧垃圾", "焚烧 垃圾"),  # burning rubbish
    ("鞭炮", "烟花爆竹"),  # firecrackers
    ("裸土", "裸露地面"),  # bare soil
    ("苫盖", "覆盖 遮盖"),  # covering
    ("抛洒", "抛撒"),  # variant spelling
    ("装修垃圾", "建筑垃圾"),  # renovation waste (defn)
    ("下水道", "管网"),  # sewer
    ("污水管网", "配套管网"),  # sewer network
    ("纳管", "向污水集中处理设施排放"),  # discharge to sewer
    ("暗排", "私设暗管"),  # hidden-pipe discharge
    ("河流", "江河"),  # river
    ("河里", "江河"),  # river
    ("工业污水", "工业废水"),  # industrial wastewater
    ("医院污水", "医疗污水"),  # hospital sewage
    ("水源地", "饮用水水源"),  # drinking-water source
    ("自来水厂", "饮用水供水单位"),  # waterworks
    ("钓鱼", "垂钓"),  # fishing
    ("养鱼", "水产养殖"),  # fish farming
    ("猪场", "畜禽养殖场"),  # pig farm
    ("危化品", "危险化学品"),  # abbrev.
    ("农药瓶", "农药包装废弃物"),  # pesticide containers
    ("地膜", "农用薄膜"),  # mulch film
    ("一般固废", "工业固体废物"),  # general industrial SW
    ("工业垃圾", "工业固体废物"),  # industrial solid waste
    ("危废间", "危险废物贮存"),  # HW storage room
    ("暂存", "贮存"),  # temporary storage (defn)
    ("五联单", "转移联单"),  # HW manifest
    ("危废经营许可证", "危险废物 许可证"),  # HW business licence
    ("危废标签", "危险废物识别标志"),  # HW label
    ("危废鉴定", "危险废物鉴别"),  # HW identification
    (
        "跨省转移",
        "跨省、自治区、直辖市转移 出省、自治区、直辖市行政区域",
    ),  # inter-provincial transfer
    ("医废", "医疗废物"),  # abbrev.
    ("医疗垃圾", "医疗废物"),  # medical waste
    ("废旧家电", "废弃电器电子产品"),  # e-waste
    ("报废车", "报废机动车"),  # end-of-life vehicle
    ("废品回收", "再生资源回收"),  # scrap collection
    ("餐厨垃圾", "厨余垃圾"),  # kitchen waste
    ("泔水", "厨余垃圾"),  # swill
    ("垃圾场", "垃圾填埋场"),  # dump/landfill
    ("垃圾费", "生活垃圾处理费"),  # garbage fee
    ("偷倒", "擅自倾倒"),  # illegal dumping
    ("乱堆", "擅自 堆放"),  # unauthorised piling
    ("环评报告", "环境影响报告书 环境影响报告表"),  # EIA report
    ("环评报告书", "环境影响报告书"),  # EIA report (full)
    ("环评报告表", "环境影响报告表"),  # EIA report form
    ("环评登记表", "环境影响登记表"),  # EIA registration form
    ("环评备案", "环境影响登记表 备案"),  # EIA filing
    ("规划环评", "规划的环境影响评价"),  # plan EIA
    ("环评名录", "环境影响评价分类管理名录"),  # EIA catalogue
    ("环评批复", "审批决定 审批意见"),  # EIA approval
    ("环评公司", "技术单位 编制单位"),  # EIA consultancy
    ("重大变更", "重大变动"),  # major change
    ("重新环评", "重新报批"),  # redo EIA
    ("环评过期", "超过五年 重新审核"),  # EIA 5-year lapse
    ("批建不符", "不符合经审批的环境影响评价文件"),  # built differently from approval
    ("先建后批", "擅自开工建设"),  # build before approval
    ("投产", "投入生产"),  # start production
    ("技改", "技术改造"),  # technical upgrade
    ("改扩建", "改建 扩建"),  # rebuild/expand
    ("新改扩建", "新建、改建、扩建"),  # new/rebuild/expand
    ("环保验收", "验收"),  # acceptance check
    ("未验先投", "验收 投入生产"),  # operate before acceptance
    ("排放许可证", "排污许可证"),  # variant
    ("登记管理", "排污登记"),  # registration category
    ("许可排放量", "许可量"),  # permitted amount
    ("季报", "执行报告"),  # quarterly report
    ("台帐", "台账"),  # variant spelling
    ("自测", "自行监测"),  # self-monitoring
    ("原始记录", "原始监测记录"),  # raw records
    ("cems", "自动监测设备"),  # CEMS
    ("在线设备", "自动监测设备"),  # online monitor
    ("在线数据", "自动监测数据"),  # online data
    ("数据造假", "篡改、伪造监测数据"),  # data falsification
    ("造假", "弄虚作假"),  # faking
    ("总量指标", "总量控制指标"),  # total-load quota
    ("无证排放", "无证排污 未依法取得排污许可证"),  # discharge without permit
    ("排污企业", "排污单位"),  # discharging unit
    ("重点单位", "重点排污单位"),  # key discharger
    ("固定源", "固定污染源"),  # stationary source
    ("生态红线", "生态保护红线"),  # eco red line
    ("续期", "延续"),  # renewal
    ("申领", "申请取得"),  # apply for permit
    ("办证", "申请取得"),  # get licence
    ("吊证", "吊销许可证"),  # revoke licence
    ("整改通知书", "限期整改"),  # rectification notice
    ("限批", "暂停审批"),  # approval freeze
    ("环保检查", "监督检查 现场检查"),  # inspection
    ("环保督察", "生态环境保护督察"),  # central inspection
    ("环境监察", "环境执法机构"),  # enforcement body
    ("投诉", "举报"),  # complaint
    ("12369", "举报电话"),  # hotline
    ("罚没", "罚款 没收违法所得"),  # fines & confiscation
    ("按日计罚", "按日连续"),  # daily penalty
    ("勒令", "责令"),  # order
    ("停产整顿", "停产整治"),  # suspension
    ("关停", "停业 关闭"),  # shut down
    ("判刑", "追究刑事责任"),  # criminal
    ("坐牢", "追究刑事责任"),  # criminal
    ("污染环境罪", "构成犯罪 刑事责任"),  # crime
    ("行政拘留", "拘留"),  # admin detention
    ("打官司", "提起诉讼"),  # lawsuit
    ("公益诉讼", "社会公共利益 提起诉讼"),  # public-interest suit
    ("赔钱", "赔偿损失"),  # compensation
    ("索赔", "赔偿损失 损害赔偿"),  # claim damages
    ("生态环境损害赔偿", "损害赔偿责任"),  # eco damage compensation
    ("信用档案", "社会诚信档案 信用记录"),  # credit record
    ("环责险", "环境污染责任保险"),  # liability insurance
    ("个体户", "其他生产经营者"),  # sole trader
    ("个体工商户", "其他生产经营者"),  # sole trader
    ("厂长", "主要负责人"),  # principal
    ("住建局", "住房城乡建设"),  # housing dept
    ("环卫", "环境卫生"),  # sanitation
    ("市场监管", "市场监督管理"),  # market regulator
    ("交警", "公安机关交通管理部门"),  # traffic police
    ("公安局", "公安机关"),  # police
    ("水利局", "水行政主管部门"),  # water dept
    ("水务局", "水行政主管部门 城镇排水主管部门"),  # water affairs
    ("发改委", "发展改革 经济综合主管部门 经济综合宏观调控部门"),  # NDRC
    ("环保厅", "生态环境主管部门"),  # provincial env dept
    ("生态局", "生态环境主管部门"),  # env bureau
]


def upgrade() -> None:
    add_synonyms(COLLOQUIAL_VOCABULARY)


def downgrade() -> None:
    remove_synonyms(COLLOQUIAL_VOCABULARY)
