"""A small, fixed bank of medical-news sentences in English, Arabic and Ukrainian.

Every template exists in the three languages with the same placeholders, so a
generated article and its translations carry the same numbers and study
identifiers (the PO import refuses translations whose numbers differ).
Placeholders: ``{cond}``/``{Cond}`` and ``{interv}``/``{Interv}`` (condition and
intervention; Ukrainian also has the genitive ``{cond_gen}``, ``{interv_gen}``),
``{inst}`` (an institution, a proper name left in Latin script) and numbers.
"""

# (English, Arabic, Ukrainian nominative, Ukrainian genitive)
CONDITIONS = [
    ("multiple sclerosis", "التصلب المتعدد", "розсіяний склероз", "розсіяного склерозу"),
    ("Parkinson's disease", "مرض باركنسون", "хвороба Паркінсона", "хвороби Паркінсона"),
    (
        "amyotrophic lateral sclerosis",
        "التصلب الجانبي الضموري",
        "бічний аміотрофічний склероз",
        "бічного аміотрофічного склерозу",
    ),
    ("spinal cord injury", "إصابة الحبل الشوكي", "травма спинного мозку", "травми спинного мозку"),
    (
        "ischaemic stroke",
        "السكتة الدماغية الإقفارية",
        "ішемічний інсульт",
        "ішемічного інсульту",
    ),
    (
        "type 1 diabetes",
        "داء السكري من النوع 1",
        "цукровий діабет 1 типу",
        "цукрового діабету 1 типу",
    ),
    ("heart failure", "قصور القلب", "серцева недостатність", "серцевої недостатності"),
    ("Crohn's disease", "داء كرون", "хвороба Крона", "хвороби Крона"),
    (
        "rheumatoid arthritis",
        "التهاب المفاصل الروماتويدي",
        "ревматоїдний артрит",
        "ревматоїдного артриту",
    ),
    (
        "knee osteoarthritis",
        "الفصال العظمي في الركبة",
        "остеоартроз колінного суглоба",
        "остеоартрозу колінного суглоба",
    ),
    (
        "cerebral palsy",
        "الشلل الدماغي",
        "дитячий церебральний параліч",
        "дитячого церебрального паралічу",
    ),
    (
        "autism spectrum disorder",
        "اضطراب طيف التوحد",
        "розлад аутистичного спектра",
        "розладу аутистичного спектра",
    ),
    ("Alzheimer's disease", "مرض ألزهايمر", "хвороба Альцгеймера", "хвороби Альцгеймера"),
    (
        "critical limb ischaemia",
        "نقص التروية الحرج في الأطراف",
        "критична ішемія кінцівок",
        "критичної ішемії кінцівок",
    ),
    ("liver cirrhosis", "تليف الكبد", "цироз печінки", "цирозу печінки"),
    (
        "chronic obstructive pulmonary disease",
        "مرض الانسداد الرئوي المزمن",
        "хронічне обструктивне захворювання легень",
        "хронічного обструктивного захворювання легень",
    ),
    (
        "systemic lupus erythematosus",
        "الذئبة الحمراء الجهازية",
        "системний червоний вовчак",
        "системного червоного вовчака",
    ),
    (
        "drug-resistant epilepsy",
        "الصرع المقاوم للأدوية",
        "фармакорезистентна епілепсія",
        "фармакорезистентної епілепсії",
    ),
    (
        "age-related macular degeneration",
        "التنكس البقعي المرتبط بالعمر",
        "вікова макулярна дегенерація",
        "вікової макулярної дегенерації",
    ),
    (
        "chronic kidney disease",
        "مرض الكلى المزمن",
        "хронічна хвороба нирок",
        "хронічної хвороби нирок",
    ),
]

# (English, Arabic, Ukrainian nominative, Ukrainian genitive)
INTERVENTIONS = [
    (
        "autologous mesenchymal stem cells",
        "الخلايا الجذعية الوسيطة الذاتية",
        "аутологічні мезенхімальні стовбурові клітини",
        "аутологічних мезенхімальних стовбурових клітин",
    ),
    (
        "bone marrow mononuclear cells",
        "الخلايا وحيدة النواة من نقي العظم",
        "мононуклеарні клітини кісткового мозку",
        "мононуклеарних клітин кісткового мозку",
    ),
    (
        "umbilical cord mesenchymal stromal cells",
        "الخلايا اللحمية الوسيطة من الحبل السري",
        "мезенхімальні стромальні клітини пуповини",
        "мезенхімальних стромальних клітин пуповини",
    ),
    (
        "autologous neural progenitor cells",
        "الخلايا السلفية العصبية الذاتية",
        "аутологічні нейральні клітини-попередники",
        "аутологічних нейральних клітин-попередників",
    ),
    (
        "adipose-derived stromal vascular fraction",
        "الجزء الوعائي اللحمي المشتق من النسيج الدهني",
        "стромально-васкулярна фракція жирової тканини",
        "стромально-васкулярної фракції жирової тканини",
    ),
    (
        "autologous haematopoietic stem cell transplantation",
        "زرع الخلايا الجذعية المكونة للدم الذاتية",
        "аутологічна трансплантація гемопоетичних стовбурових клітин",
        "аутологічної трансплантації гемопоетичних стовбурових клітин",
    ),
    (
        "platelet-rich plasma injections",
        "حقن البلازما الغنية بالصفائح الدموية",
        "ін’єкції збагаченої тромбоцитами плазми",
        "ін’єкцій збагаченої тромбоцитами плазми",
    ),
    (
        "extracellular vesicles from stem cells",
        "الحويصلات خارج الخلوية المشتقة من الخلايا الجذعية",
        "позаклітинні везикули стовбурових клітин",
        "позаклітинних везикул стовбурових клітин",
    ),
    (
        "dopaminergic neurons grown from induced pluripotent stem cells",
        "الخلايا العصبية الدوبامينية المشتقة من الخلايا الجذعية المحفزة متعددة القدرات",
        "дофамінергічні нейрони з індукованих плюрипотентних стовбурових клітин",
        "дофамінергічних нейронів з індукованих плюрипотентних стовбурових клітин",
    ),
    ("CD34+ cells", "خلايا CD34+", "клітини CD34+", "клітин CD34+"),
    (
        "allogeneic cardiosphere-derived cells",
        "الخلايا الخيفية المشتقة من الكرات القلبية",
        "алогенні клітини кардіосфер",
        "алогенних клітин кардіосфер",
    ),
    (
        "limbal stem cell transplantation",
        "زرع الخلايا الجذعية الحوفية",
        "трансплантація лімбальних стовбурових клітин",
        "трансплантації лімбальних стовбурових клітин",
    ),
]

INSTITUTIONS = [
    "Tisch MS Research Center of New York",
    "Karolinska Institutet",
    "Mayo Clinic",
    "Cleveland Clinic",
    "Hadassah Medical Center",
    "Charité – Universitätsmedizin Berlin",
    "Kyoto University Hospital",
    "University of Miami Miller School of Medicine",
    "Cedars-Sinai Medical Center",
    "Hospital Clínic de Barcelona",
    "Royal Free Hospital",
    "Shanghai East Hospital",
]

INVESTIGATORS = [
    "Dr Saud A. Sadiq",
    "Dr Helena Lindqvist",
    "Dr Michael Chen",
    "Dr Amira Haddad",
    "Dr Oleksandr Kovalenko",
    "Dr Laura Martínez",
    "Dr Kenji Watanabe",
    "Dr Sarah O'Connor",
]

MEETINGS = [
    ("Annual Meeting of the American Academy of Neurology", "Vancouver"),
    ("ECTRIMS Congress", "Milan"),
    ("ISSCR Annual Meeting", "Boston"),
    ("European Stroke Organisation Conference", "Munich"),
    ("American Diabetes Association Scientific Sessions", "Orlando"),
    ("ESC Congress", "Amsterdam"),
]

# Phase as written in the text → Article.phase value, next phase in the text.
PHASES = [
    ("1", "phase1", "2"),
    ("1/2", "phase1_phase2", "2"),
    ("2", "phase2", "3"),
    ("2/3", "phase2_phase3", "3"),
]

# Titles: (English, Arabic, Ukrainian).
TITLES = [
    (
        "Promising results for {interv} in {cond}: a phase {phase} trial of {n} patients",
        "نتائج واعدة لاستخدام {interv} في علاج {cond} ضمن تجربة من المرحلة {phase} شملت {n} مريضًا",
        "Обнадійливі результати застосування {interv_gen} для лікування {cond_gen} "
        "у випробуванні фази {phase} за участі {n} пацієнтів",
    ),
    (
        "Phase {phase} trial: {interv} safe and well tolerated in {n} patients with {cond}",
        "تجربة من المرحلة {phase}: العلاج باستخدام {interv} آمن وجيد التحمّل لدى {n} من مرضى {cond}",
        "Випробування фази {phase}: застосування {interv_gen} безпечне й добре переноситься "
        "у {n} пацієнтів із діагнозом «{cond}»",
    ),
    (
        "{Cond}: {pct}% of patients improved after {interv} in a {m}-month study",
        "{cond}: تحسّن {pct}% من المرضى بعد العلاج باستخدام {interv} في دراسة استمرت {m} أشهر",
        "{Cond}: у {pct}% пацієнтів настало покращення після застосування {interv_gen} "
        "у {m}-місячному дослідженні",
    ),
    (
        "Can {interv} slow {cond}? First results from {n} patients",
        "هل يستطيع العلاج باستخدام {interv} إبطاء {cond}؟ النتائج الأولى لدى {n} مريضًا",
        "Чи може застосування {interv_gen} сповільнити перебіг {cond_gen}? "
        "Перші результати {n} пацієнтів",
    ),
]

SUMMARIES = [
    (
        "A phase {phase} trial at {inst} found that treatment with {interv} was safe and well "
        "tolerated in {n} patients with {cond}; {pct}% of them improved after {m} months.",
        "وجدت تجربة من المرحلة {phase} أُجريت في {inst} أن العلاج باستخدام {interv} كان آمنًا "
        "وجيد التحمّل لدى {n} من مرضى {cond}، وأن {pct}% منهم تحسّنوا بعد {m} أشهر.",
        "Випробування фази {phase} в {inst} показало, що лікування із застосуванням {interv_gen} "
        "було безпечним і добре переносилося {n} пацієнтами з діагнозом «{cond}»; через {m} "
        "місяців стан {pct}% з них покращився.",
    ),
    (
        "Researchers at {inst} treated {n} patients with {cond} using {interv}: no serious side "
        "effects were seen, and most patients improved on the main clinical scale.",
        "عالج باحثون في {inst} ما مجموعه {n} من مرضى {cond} باستخدام {interv}، ولم تُلاحظ أي "
        "آثار جانبية خطيرة، وتحسّن معظم المرضى على المقياس السريري الرئيسي.",
        "Дослідники з {inst} пролікували {n} пацієнтів із діагнозом «{cond}» за допомогою "
        "{interv_gen}: серйозних побічних ефектів не спостерігали, а стан більшості пацієнтів "
        "за основною клінічною шкалою покращився.",
    ),
]

SEO_TITLES = [
    ("{Cond}: new trial results", "{cond}: نتائج تجربة جديدة", "{Cond}: нові результати"),
    ("{Cond}: cell therapy study", "{cond}: دراسة للعلاج الخلوي", "{Cond}: дослідження"),
]

SEO_DESCRIPTIONS = [
    (
        "Clinical trial results for {cond}: safety, effect on symptoms and next steps.",
        "نتائج تجربة سريرية في علاج {cond}: السلامة والتأثير على الأعراض والخطوات التالية.",
        "Результати клінічного випробування для лікування {cond_gen}: безпека, вплив на "
        "симптоми та подальші кроки.",
    ),
]

HEADINGS = {
    "design": ("Study design", "تصميم الدراسة", "Дизайн дослідження"),
    "results": ("Results", "النتائج", "Результати"),
    "safety": ("Safety", "السلامة", "Безпека"),
    "outlook": ("Next steps", "الخطوات التالية", "Наступні кроки"),
}

# Body sentences by section: (English, Arabic, Ukrainian).
SENTENCES = {
    "design": [
        (
            "Researchers at {inst} have reported the results of a phase {phase} trial of "
            "{interv} in patients with {cond}.",
            "أعلن باحثون في {inst} نتائج تجربة سريرية من المرحلة {phase} لتقييم {interv} لدى "
            "مرضى {cond}.",
            "Дослідники з {inst} оприлюднили результати клінічного випробування фази {phase}, "
            "присвяченого застосуванню {interv_gen} для лікування {cond_gen}.",
        ),
        (
            "The trial enrolled {n} adults aged {age} years on average, all of whom had been "
            "living with the disease for at least {y} years.",
            "شملت التجربة {n} من البالغين بمتوسط عمر {age} عامًا، وكان جميعهم مصابين بالمرض منذ "
            "{y} أعوام على الأقل.",
            "До випробування залучили {n} дорослих пацієнтів із середнім віком {age} років, кожен "
            "з яких хворів щонайменше {y} років.",
        ),
        (
            "Participants received {doses} injections of up to {dose} million cells each over a "
            "period of {m} months.",
            "تلقّى المشاركون {doses} حقن تحتوي كل منها على ما يصل إلى {dose} مليون خلية على مدى "
            "{m} أشهر.",
            "Учасники отримали {doses} ін’єкції, кожна з яких містила до {dose} мільйонів клітин, "
            "упродовж {m} місяців.",
        ),
        (
            "The cells were prepared in a certified laboratory and tested for sterility and "
            "viability before each administration.",
            "وقد حُضّرت الخلايا في مختبر معتمد، وخضعت لاختبارات العقامة والحيوية قبل كل عملية إعطاء.",
            "Клітини готували в сертифікованій лабораторії та перед кожним введенням перевіряли "
            "на стерильність і життєздатність.",
        ),
        (
            "Earlier studies in animal models had shown that the cells migrate to damaged tissue "
            "and release protective growth factors.",
            "وكانت دراسات سابقة على نماذج حيوانية قد أظهرت أن الخلايا تهاجر إلى الأنسجة المتضررة "
            "وتفرز عوامل نمو واقية.",
            "Попередні дослідження на тваринних моделях показали, що клітини мігрують до "
            "ушкоджених тканин і вивільняють захисні фактори росту.",
        ),
        (
            "The study is registered at ClinicalTrials.gov under the number {nct}.",
            "والدراسة مسجّلة في موقع ClinicalTrials.gov تحت الرقم {nct}.",
            "Дослідження зареєстроване на ClinicalTrials.gov під номером {nct}.",
        ),
    ],
    "results": [
        (
            "After {m} months, {pct}% of participants showed a measurable improvement on the main "
            "clinical scale.",
            "بعد {m} أشهر، أظهر {pct}% من المشاركين تحسّنًا ملموسًا على المقياس السريري الرئيسي.",
            "Через {m} місяців у {pct}% учасників зафіксували помітне покращення за основною "
            "клінічною шкалою.",
        ),
        (
            "In the control group, only {pct2}% of patients improved over the same period.",
            "أما في المجموعة الضابطة، فلم يتحسّن سوى {pct2}% من المرضى خلال المدة نفسها.",
            "У контрольній групі за той самий період покращення спостерігали лише у {pct2}% "
            "пацієнтів.",
        ),
        (
            "Magnetic resonance imaging showed no new lesions in {k} of the {n} treated patients.",
            "لم يُظهر التصوير بالرنين المغناطيسي أي آفات جديدة لدى {k} من أصل {n} مريضًا خضعوا "
            "للعلاج.",
            "Магнітно-резонансна томографія не виявила нових уражень у {k} з {n} пролікованих "
            "пацієнтів.",
        ),
        (
            "Blood tests showed a {pct3}% reduction in inflammatory markers compared with "
            "baseline.",
            "وأظهرت تحاليل الدم انخفاضًا في مؤشرات الالتهاب بنسبة {pct3}% مقارنةً بالقيم الأساسية.",
            "Аналізи крові показали зниження маркерів запалення на {pct3}% порівняно з вихідним "
            "рівнем.",
        ),
        (
            "Quality-of-life scores rose by an average of {pts} points on a {scale}-point "
            "questionnaire.",
            "وارتفعت درجات جودة الحياة بمتوسط {pts} نقاط على استبيان مؤلف من {scale} نقطة.",
            "Показники якості життя зросли в середньому на {pts} балів за опитувальником зі "
            "шкалою на {scale} балів.",
        ),
        (
            "Walking speed over {metres} metres improved by {sec} seconds on average.",
            "وتحسّنت سرعة المشي لمسافة {metres} مترًا بمتوسط {sec} ثوانٍ.",
            "Швидкість ходьби на відстань {metres} метрів покращилася в середньому на {sec} "
            "секунди.",
        ),
        (
            "Overall, {pct4}% of participants reported less fatigue, and {k2} reported better "
            "sleep.",
            "وإجمالًا، أفاد {pct4}% من المشاركين بانخفاض الشعور بالتعب، فيما أفاد {k2} منهم "
            "بتحسّن النوم.",
            "Загалом {pct4}% учасників повідомили про меншу втому, а {k2} — про кращий сон.",
        ),
        (
            "According to the investigators, {interv} may help to slow the progression of "
            "{cond}, for which few effective options currently exist.",
            "ووفقًا للباحثين، قد يساعد استخدام {interv} في إبطاء تطوّر {cond}، وهو مرض لا تتوفر "
            "له حاليًا سوى خيارات علاجية فعّالة قليلة.",
            "На думку дослідників, застосування {interv_gen} може сповільнити прогресування "
            "{cond_gen} — стану, для якого наразі існує небагато ефективних методів лікування.",
        ),
    ],
    "safety": [
        (
            "The primary endpoint was safety, measured as the number of serious adverse events "
            "during {m2} months of follow-up.",
            "كانت السلامة هي نقطة النهاية الأولية، وقيست بعدد الأحداث الضائرة الخطيرة خلال {m2} "
            "شهرًا من المتابعة.",
            "Первинною кінцевою точкою була безпека, яку оцінювали за кількістю серйозних "
            "небажаних явищ протягом {m2} місяців спостереження.",
        ),
        (
            "No treatment-related serious adverse events were recorded, and most side effects, "
            "such as transient headache or low-grade fever, resolved within {d} days.",
            "لم تُسجَّل أي أحداث ضائرة خطيرة مرتبطة بالعلاج، وزالت معظم الآثار الجانبية، مثل "
            "الصداع العابر أو الحمّى الخفيفة، في غضون {d} أيام.",
            "Серйозних небажаних явищ, пов’язаних із лікуванням, не зареєстрували, а більшість "
            "побічних ефектів, як-от минущий головний біль чи субфебрильна температура, зникли "
            "протягом {d} днів.",
        ),
        (
            "Patients continued their usual medication throughout the study, and none withdrew "
            "because of side effects.",
            "واستمر المرضى في تناول أدويتهم المعتادة طوال فترة الدراسة، ولم ينسحب أي منهم بسبب "
            "الآثار الجانبية.",
            "Протягом дослідження пацієнти продовжували приймати звичні ліки, і жоден із них не "
            "вибув через побічні ефекти.",
        ),
        (
            "The authors caution that the study was small and not designed to prove that the "
            "treatment works.",
            "ويحذّر الباحثون من أن الدراسة صغيرة ولم تُصمَّم لإثبات فعالية العلاج.",
            "Автори застерігають, що дослідження було невеликим і не мало на меті довести "
            "ефективність лікування.",
        ),
        (
            "Treatment results are individual, and patients should discuss any new therapy with "
            "their doctor.",
            "ونتائج العلاج فردية، وينبغي للمرضى مناقشة أي علاج جديد مع طبيبهم.",
            "Результати лікування індивідуальні, тож будь-яку нову терапію пацієнтам слід "
            "обговорювати зі своїм лікарем.",
        ),
    ],
    "outlook": [
        (
            "A larger, randomised, double-blind phase {phase_next} trial involving {centres} "
            "centres is planned to start in {year}.",
            "ومن المقرر أن تبدأ في عام {year} تجربة أكبر من المرحلة {phase_next}، عشوائية "
            "ومزدوجة التعمية، بمشاركة {centres} مراكز.",
            "Більше рандомізоване подвійне сліпе випробування фази {phase_next} за участі "
            "{centres} центрів планують розпочати у {year} році.",
        ),
        (
            "The findings were presented at an international scientific congress and will be "
            "submitted to a peer-reviewed journal.",
            "وقد عُرضت النتائج في مؤتمر علمي دولي، ومن المقرر تقديمها للنشر في مجلة علمية محكّمة.",
            "Результати представили на міжнародному науковому конгресі; їх також планують "
            "подати до рецензованого наукового журналу.",
        ),
        (
            "Independent experts welcomed the results but stressed the need for longer follow-up.",
            "ورحّب خبراء مستقلون بالنتائج، لكنهم شددوا على ضرورة متابعة المرضى لفترة أطول.",
            "Незалежні експерти позитивно оцінили результати, проте наголосили на потребі "
            "тривалішого спостереження.",
        ),
        (
            "The research team plans to publish the full data set, including individual patient "
            "outcomes, within {m3} months.",
            "ويعتزم فريق البحث نشر مجموعة البيانات الكاملة، بما فيها نتائج كل مريض على حدة، في "
            "غضون {m3} شهرًا.",
            "Дослідницька група планує оприлюднити повний набір даних, зокрема індивідуальні "
            "результати пацієнтів, протягом {m3} місяців.",
        ),
        (
            "The trial was funded by a national research grant and by a patient foundation.",
            "ومُوّلت التجربة من منحة بحثية وطنية ومن مؤسسة للمرضى.",
            "Випробування фінансували за рахунок національного дослідницького гранту та "
            "пацієнтського фонду.",
        ),
    ],
}

# The 17 topics added to the demo content's 3: (English, Arabic, Ukrainian).
TOPICS = [
    ("Parkinson's disease", "مرض باركنسون", "Хвороба Паркінсона"),
    ("Stroke", "السكتة الدماغية", "Інсульт"),
    ("Spinal cord injury", "إصابات الحبل الشوكي", "Травми спинного мозку"),
    ("Diabetes", "داء السكري", "Цукровий діабет"),
    ("Heart disease", "أمراض القلب", "Хвороби серця"),
    ("Autoimmune diseases", "أمراض المناعة الذاتية", "Автоімунні захворювання"),
    ("Orthopaedics", "جراحة العظام", "Ортопедія"),
    ("Neurology", "طب الأعصاب", "Неврологія"),
    ("Rare diseases", "الأمراض النادرة", "Рідкісні захворювання"),
    ("Gene therapy", "العلاج الجيني", "Генна терапія"),
    ("Regenerative medicine", "الطب التجديدي", "Регенеративна медицина"),
    ("Paediatrics", "طب الأطفال", "Педіатрія"),
    ("Rehabilitation", "إعادة التأهيل", "Реабілітація"),
    ("Ophthalmology", "طب العيون", "Офтальмологія"),
    ("Hepatology", "أمراض الكبد", "Гепатологія"),
    ("Pulmonology", "أمراض الرئة", "Пульмонологія"),
    ("Nephrology", "أمراض الكلى", "Нефрологія"),
]

# A word of the Arabic text that some articles contain (one condition of 20): the search.
SEARCH_WORD_AR = "باركنسون"
# The topic of the topic-filtered list (English slug; the Arabic slug is looked up).
FILTER_TOPIC = "stem-cell-therapy"
