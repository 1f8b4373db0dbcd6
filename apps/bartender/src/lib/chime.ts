/**
 * What the chime can do right now: `off` until the shift starts (browsers only let a page make
 * sound after a tap), `on` while it can play, `blocked` when the browser suspended the audio
 * after it was on (the tablet slept, another app took the audio): a tap brings it back.
 */
export type ChimeState = 'off' | 'on' | 'blocked';

/**
 * A short two-tone chime made with the Web Audio API (no audio files). {@link Chime.enable} must
 * run in a tap's handler; afterwards the chime watches its audio context and reports when the
 * browser takes the sound away.
 */
class Chime {
  private context: AudioContext | null = null;
  private readonly listeners = new Set<() => void>();
  private current: ChimeState = 'off';

  getState = (): ChimeState => this.current;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Unlocks the audio (in a tap's handler) and plays once, so the person hears it works. */
  async enable(): Promise<ChimeState> {
    if (this.context === null) {
      const context = new AudioContext();
      context.addEventListener('statechange', this.update);
      this.context = context;
    }
    try {
      await this.context.resume();
    } catch {
      // Refused: the state says so.
    }
    this.update();
    this.play();
    return this.current;
  }

  /** Plays the chime; false when it could not (sound off or blocked). */
  play(): boolean {
    const context = this.context;
    if (context?.state !== 'running') {
      this.update();
      return false;
    }
    const start = context.currentTime;
    this.tone(context, 880, start, 0.16);
    this.tone(context, 1320, start + 0.2, 0.22);
    return true;
  }

  private readonly update = (): void => {
    const state = this.context?.state;
    const next: ChimeState =
      state === undefined || state === 'closed' ? 'off' : state === 'running' ? 'on' : 'blocked';
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener();
  };

  private tone(context: AudioContext, frequency: number, at: number, seconds: number): void {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + seconds + 0.02);
    oscillator.onended = () => {
      oscillator.disconnect();
      gain.disconnect();
    };
  }
}

/** The bar's one chime. */
export const chime = new Chime();
