import { randomUUID } from 'node:crypto';
import {
  changesBody,
  errorsFromService,
  fieldOf,
  normaliseDate,
  normaliseNumber,
  parsePlacementForm,
  requestBodyFor,
  type PlacementView,
} from '../src/http/placement-forms';
import { translatorFor } from '../src/i18n';

const en = translatorFor('en');
const ar = translatorFor('ar');

describe('placement forms (pure parts)', () => {
  const current: PlacementView = {
    id: randomUUID(),
    participantId: randomUUID(),
    employerId: randomUUID(),
    jobTitle: 'Clerk',
    startDate: '2026-11-01',
    hoursPerWeek: 20,
    wage: { amount: 300, currency: 'OMR', period: 'month' },
    supervisorId: null,
    accommodations: ['screen-reader'],
    status: 'confirmed',
    version: 3,
  };
  const changeForm = {
    version: '3',
    idempotencyKey: randomUUID(),
    effectiveDate: '2026-12-01',
    hoursPerWeek: '20',
    wageAmount: '300',
    wageCurrency: 'omr',
    wagePeriod: 'month',
    jobTitle: 'Clerk',
    supervisorId: '',
    accommodations: 'screen-reader',
  };

  it('reads numbers as people type them: Arabic-Indic digits, the Arabic decimal sign, separators', () => {
    expect(normaliseNumber(' ٢٥ ')).toBe('25');
    expect(normaliseNumber('۳۰')).toBe('30');
    expect(normaliseNumber('1,250٫5')).toBe('1250.5');
  });

  it('reads dates from a date control, or typed day first or year first, in any digits', () => {
    expect(normaliseDate('2026-03-01')).toBe('2026-03-01');
    expect(normaliseDate('1/3/2026')).toBe('2026-03-01');
    expect(normaliseDate('٠١-٠٣-٢٠٢٦')).toBe('2026-03-01');
    expect(normaliseDate('2026.3.1')).toBe('2026-03-01');
  });

  it('names each wrong field in the order the form shows them, in the page language', () => {
    const parsed = parsePlacementForm(
      'confirm',
      { version: '1', idempotencyKey: randomUUID(), hoursPerWeek: '81', jobTitle: '' },
      ar,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.form.errors.map((e) => e.field)).toEqual([
      'jobTitle',
      'startDate',
      'hoursPerWeek',
      'wageAmount',
      'wageCurrency',
      'wagePeriod',
    ]);
    expect(parsed.form.errors[2]?.message).toBe(ar('placementForms.errors.hoursPerWeek'));
  });

  it("maps the service's paths to the form's fields, and uses its message only in the page's language", () => {
    expect(fieldOf('terms.wage.currency', 'confirm')).toBe('wageCurrency');
    expect(fieldOf('accommodations.2', 'change')).toBe('accommodations');
    expect(fieldOf('headers.x-link-secret', 'end')).toBe('endDate');
    const problems = [
      { path: 'endDate', message: 'must be on or after the start date' },
      { path: 'reason', message: 'اختر سببًا' },
    ];
    expect(errorsFromService(problems, 'end', ar, 'ar')).toEqual([
      { field: 'endDate', message: ar('placementForms.errors.endDate') },
      { field: 'reason', message: 'اختر سببًا' },
    ]);
    expect(errorsFromService(problems, 'end', en, 'en')[0]?.message).toBe(
      'must be on or after the start date',
    );
  });

  it('makes no request of a change form read from an older version, or that changes nothing', () => {
    const parsed = parsePlacementForm('change', changeForm, en);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.form.errors));
    expect(requestBodyFor('change', parsed.data, current)).toEqual({
      ok: false,
      why: 'nothing-changed',
    });
    expect(requestBodyFor('change', parsed.data, { ...current, version: 4 })).toEqual({
      ok: false,
      why: 'stale',
    });
    const more = parsePlacementForm('change', { ...changeForm, hoursPerWeek: '25' }, en);
    if (!more.ok) throw new Error(JSON.stringify(more.form.errors));
    expect(requestBodyFor('change', more.data, current)).toEqual({
      ok: true,
      body: { version: 3, effectiveDate: '2026-12-01', hoursPerWeek: 25 },
    });
  });

  it('sends only what changed, and nothing when nothing did', () => {
    const parse = (body: Record<string, unknown>) => {
      const parsed = parsePlacementForm('change', body, en);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.form.errors));
      return parsed.data;
    };
    expect(changesBody(parse(changeForm), current)).toBeNull();
    expect(
      changesBody(
        parse({ ...changeForm, hoursPerWeek: '٣٠', accommodations: ['screen-reader', 'other'] }),
        current,
      ),
    ).toEqual({
      version: 3,
      effectiveDate: '2026-12-01',
      hoursPerWeek: 30,
      accommodations: ['screen-reader', 'other'],
    });
  });
});
