// The workstation's money currency (Settings), loaded once and replaced when Settings are saved, so
// every screen formats amounts in the operator's currency without asking the backend each time.
import { useEffect } from 'react'
import { create } from 'zustand'
import { api } from '../api/client'
import { defaultMoney, type MoneySettings } from '../format'

interface MoneyState {
  money: MoneySettings
  loaded: boolean
  set: (money: MoneySettings) => void
  load: () => Promise<void>
}

export const useMoneyStore = create<MoneyState>((set, get) => ({
  money: defaultMoney,
  loaded: false,
  set: (money) => set({ money, loaded: true }),
  async load() {
    if (get().loaded) return
    const result = await api.call('settings/get', {})
    if (result.data) set({ money: result.data.settings.currency, loaded: true })
  },
}))

/** The operator's currency; the defaults until Settings have answered. */
export function useMoney(): MoneySettings {
  const money = useMoneyStore((state) => state.money)
  const load = useMoneyStore((state) => state.load)
  useEffect(() => {
    void load()
  }, [load])
  return money
}
